using System.Diagnostics;
using System.Text.RegularExpressions;
using CourseKit.Cli;
using CourseKit.Notebooks;
using CourseKit.Notebooks.Jupyter;
using Xunit.Abstractions;

namespace CourseKit.Tests.Jupyter;

/// <summary>
/// Jupyter's own <c>nbconvert --execute</c> (Debian's <c>jupyter-nbconvert</c>, <c>python3-nbclient</c>) runs a lecture
/// notebook on CourseKit's kernel and gets the outputs <c>coursekit run</c> gets. The notebook loads
/// lib/CourseKit/bin/Release/net8.0/CourseKit.dll: build it first with <c>dotnet build lib/CourseKit -c Release</c>.
/// </summary>
public sealed partial class NbconvertTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("coursekit-nbconvert-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Nbconvert_on_the_kernel_gives_the_convolution_notebook_the_outputs_coursekit_run_gives()
    {
        string notebooks = Path.Combine(Repository.Root, "notebooks");
        string source = Path.Combine(notebooks, "01-convolution-by-hand.ipynb");
        string cliFolder = Path.Combine(_folder, "coursekit-run");
        var viaCli = Task.Run(() => CliApp.Build().Parse(["run", source, "--out", cliFolder]).Invoke());   // its own process, as students run it
        var viaJupyter = NotebookDocument.Load(await Nbconvert(source));
        Assert.Equal(0, await viaCli);
        var ran = NotebookDocument.Load(Path.Combine(cliFolder, Path.GetFileName(source)));

        var jupyterCells = Outputs(viaJupyter);
        var cliCells = Outputs(ran);
        Assert.Equal(cliCells.Count, jupyterCells.Count);
        for (int i = 0; i < cliCells.Count; i++)
            Assert.True(cliCells[i].SequenceEqual(jupyterCells[i]),
                $"code cell {i + 1} differs.\ncoursekit run: {string.Join(" | ", cliCells[i].Select(Short))}\nnbconvert:     {string.Join(" | ", jupyterCells[i].Select(Short))}");
        Assert.DoesNotContain(jupyterCells.SelectMany(c => c), o => o.StartsWith("error", StringComparison.Ordinal));
    }

    /// <summary>Executes <paramref name="notebook"/> with nbconvert on a kernelspec installed in a temporary prefix; returns the executed copy.</summary>
    private async Task<string> Nbconvert(string notebook)
    {
        string dotnet = CourseKit.Cli.Commands.DotnetHost.Path;
        KernelSpec.Install(KernelSpec.PrefixKernelsFolder(_folder), KernelSpec.DefaultName,
                           KernelSpec.KernelJson([dotnet, typeof(CliApp).Assembly.Location], "test"), [], force: false);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=120", notebook, "--output-dir", _folder })
            start.ArgumentList.Add(argument);
        start.Environment["JUPYTER_PATH"] = Path.Combine(_folder, "share", "jupyter");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderrRead = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        bool finished = await process.WaitForExitAsync(limit.Token).ContinueWith(t => t.IsCompletedSuccessfully);
        if (!finished) process.Kill(entireProcessTree: true);
        string stderr = await stderrRead;
        output.WriteLine(stderr);

        Assert.True(finished, "nbconvert did not finish within 180 s.");
        Assert.False(stderr.Contains("No module named nbconvert"),
            "This test needs Jupyter's nbconvert: `apt-get install -y jupyter-nbconvert python3-nbclient` (as .ci/run does).");
        Assert.True(process.ExitCode == 0, $"nbconvert failed:\n{stderr}{await stdout}");
        return Path.Combine(_folder, Path.GetFileName(notebook));
    }

    /// <summary>
    /// Each code cell's outputs as text: consecutive writes to one stream joined, rich outputs as their MIME types,
    /// plain text and HTML with the random ids (display ids, chart ids) blanked.
    /// </summary>
    private static List<List<string>> Outputs(NotebookDocument notebook) =>
        notebook.Cells.Where(c => c.Kind == CellKind.Code).Select(cell =>
        {
            var texts = new List<string>();
            foreach (var produced in cell.Outputs)
            {
                if (produced is StreamOutput stream && texts.Count > 0 && texts[^1].StartsWith($"stream {stream.Name}:", StringComparison.Ordinal))
                    texts[^1] += stream.Text;
                else texts.Add(produced switch
                {
                    StreamOutput s => $"stream {s.Name}:{s.Text}",
                    RichOutput rich => $"{rich.OutputType} [{string.Join(", ", rich.Data.Select(p => p.Key).Order())}]: " +
                                       RandomId().Replace($"{rich.GetText("text/plain")}\n{rich.GetText("text/html")}", "ID"),
                    ErrorOutput error => $"error {error.EName}: {error.EValue}",
                    _ => produced.OutputType,
                });
            }
            return texts;
        }).ToList();

    private static string Short(string text) => text.Length > 120 ? text[..120] + "…" : text;

    [GeneratedRegex("[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")]
    private static partial Regex RandomId();
}
