using System.CommandLine;
using Spectre.Console;

namespace CourseKit.Cli.Commands;

/// <summary><c>coursekit data fetch mnist|fashion-mnist|cifar10 [--data-dir DIR]</c>: download a dataset with checksums.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = $"One of: {string.Join(", ", DatasetDownloader.Datasets)}." };
        dataset.AcceptOnlyFromAmong([.. DatasetDownloader.Datasets]);
        var dataDir = new Option<string?>("--data-dir") { Description = "Where to put it (default: the per-user cache, " + DataDirectory.UserCache + ")." };
        var fetch = new Command("fetch", "Download a dataset from its official location, verify its checksums and move it into place atomically. Interrupted downloads resume.")
        {
            dataset, dataDir,
        };
        fetch.SetAction(async (parse, cancellation) =>
        {
            string name = parse.GetValue(dataset)!;
            try
            {
                string folder = await Fetch(name, parse.GetValue(dataDir), cancellation);
                AnsiConsole.MarkupLineInterpolated($"[green]✓[/] {name} is ready in {folder}");
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]✗[/] {e.Message}");
                return 1;
            }
        });
        return new Command("data", "Datasets: fetch them for offline use.") { fetch };
    }

    private static async Task<string> Fetch(string name, string? dataDir, CancellationToken cancellation)
    {
        string folder = "";
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"fetch {name}", maxValue: 1);
                var progress = new Progress<(long done, long? total)>(p =>
                {
                    if (p.total is long total) task.MaxValue = total;
                    task.Value = p.done;
                });
                folder = await new DatasetDownloader().FetchAsync(name, dataDir, progress, cancellation);
                task.Value = task.MaxValue;
            });
        return folder;
    }
}
