using System.CommandLine;
using CourseKit.Notebooks;
using Spectre.Console;

namespace CourseKit.Cli.Commands;

/// <summary><c>coursekit export NOTEBOOK --html [--offline | --cdn] [--out FILE]</c>: a notebook as one standalone HTML page.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var notebook = new Argument<string>("notebook") { Description = "The .ipynb file to export (run it first with `coursekit run` to include outputs)." };
        var html = new Option<bool>("--html") { Description = "Export as a standalone HTML page (the only format so far)." };
        var offline = new Option<bool>("--offline") { Description = "Embed plotly.js once in the page so charts draw without the internet (the default)." };
        var cdn = new Option<bool>("--cdn") { Description = "Load plotly.js from its CDN instead: a much smaller file that needs the internet." };
        var output = new Option<string?>("--out") { Description = "The HTML file to write (default: the notebook's path with .html)." };
        var command = new Command("export", "Export a notebook with its outputs as a standalone HTML page.") { notebook, html, offline, cdn, output };
        command.SetAction(parse =>
        {
            if (!parse.GetValue(html))
            {
                AnsiConsole.MarkupLine("[red]✗[/] choose a format: --html.");
                return 2;
            }
            if (parse.GetValue(offline) && parse.GetValue(cdn))
            {
                AnsiConsole.MarkupLine("[red]✗[/] --offline and --cdn exclude each other.");
                return 2;
            }
            string path = parse.GetValue(notebook)!;
            string target = parse.GetValue(output) ?? Path.ChangeExtension(path, ".html");
            try
            {
                HtmlExporter.Save(NotebookDocument.Load(path), target, new HtmlExportOptions(Offline: !parse.GetValue(cdn)));
            }
            catch (Exception e) when (e is NotebookException or IOException or UnauthorizedAccessException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]✗[/] {e.Message}");
                return 1;
            }
            AnsiConsole.MarkupLineInterpolated($"[green]✓[/] {target}");
            return 0;
        });
        return command;
    }
}
