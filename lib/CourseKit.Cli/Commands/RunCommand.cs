using System.CommandLine;
using System.Diagnostics;
using CourseKit.Notebooks;
using Spectre.Console;

namespace CourseKit.Cli.Commands;

/// <summary>
/// <c>coursekit run NOTEBOOK… [--out DIR] [--cell-timeout S] [-p name=value]…</c>: runs notebooks headless,
/// each in its own process, and writes them back with their outputs.
/// </summary>
internal static class RunCommand
{
    /// <summary>How long past its own limit a notebook process may stay silent before it is killed.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var notebooks = new Argument<string[]>("notebooks") { Description = "The .ipynb files to run.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Folder for the executed notebooks (default: overwrite each notebook's outputs in place)." };
        var timeout = new Option<double>("--cell-timeout") { Description = "Seconds a cell may run before it is stopped and the notebook reported failed (0: no limit).", DefaultValueFactory = _ => 600 };
        var parameters = new Option<string[]>("--parameter", "-p") { Description = "name=value for a variable of the cell tagged 'parameters' (papermill-style); repeatable.", AllowMultipleArgumentsPerToken = false };
        var verbose = new Option<bool>("--verbose") { Description = "Show the full stack trace when the engine itself fails." };
        var child = new Option<string?>("--child-output") { Hidden = true, Description = "Run one notebook in this process and write it here." };
        var command = new Command("run", "Run notebooks headless, each in its own process, and save them with their outputs. Exits non-zero if a cell fails.")
        {
            notebooks, output, timeout, parameters, verbose, child,
        };
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(notebooks)!;
            double seconds = parse.GetValue(timeout);
            TimeSpan? limit = seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
            var values = ParseParameters(parse.GetValue(parameters) ?? []);
            if (values is null) return 2;
            if (parse.GetValue(child) is { } childOutput) return RunHere(paths.Single(), childOutput, limit, values, parse.GetValue(verbose));

            string? folder = parse.GetValue(output);
            if (folder is null && values.Count > 0)
            {
                AnsiConsole.MarkupLine("[red]✗[/] with -p, give --out: the injected parameters cell would change the notebook itself.");
                return 2;
            }
            var targets = paths.Select(p => folder is null ? Path.GetFullPath(p) : Path.GetFullPath(Path.Combine(folder, Path.GetFileName(p)))).ToList();
            if (targets.Distinct().Count() < targets.Count)
            {
                AnsiConsole.MarkupLine("[red]✗[/] two notebooks have the same file name; they would overwrite each other in --out.");
                return 2;
            }
            if (folder is not null) Directory.CreateDirectory(folder);
            int failed = 0;
            for (int i = 0; i < paths.Length; i++)
                if (!RunInChild(paths[i], targets[i], seconds, parse.GetValue(parameters) ?? [], limit, parse.GetValue(verbose))) failed++;
            if (paths.Length > 1)
                AnsiConsole.MarkupLineInterpolated($"{paths.Length - failed} of {paths.Length} notebooks ran without error.");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>Starts a process for one notebook and reports how it went; a process that hangs past its limit is killed.</summary>
    private static bool RunInChild(string notebook, string target, double seconds, string[] parameters, TimeSpan? limit, bool verbose)
    {
        AnsiConsole.MarkupLineInterpolated($"▶ {notebook}");
        var start = SelfStartInfo(["run", Path.GetFullPath(notebook), "--child-output", target, "--cell-timeout", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                                   .. parameters.SelectMany(p => new[] { "-p", p }), .. verbose ? new[] { "--verbose" } : []]);
        using var process = Process.Start(start)!;
        string currentCell = "its first cell";
        var lastStart = Stopwatch.StartNew();
        var messages = new List<string>();
        process.OutputDataReceived += (_, e) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith(CellMarker)) { lock (messages) { currentCell = e.Data[CellMarker.Length..]; lastStart.Restart(); } }
            else lock (messages) messages.Add(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (!process.WaitForExit(500))
        {
            if (limit is TimeSpan cellLimit && lastStart.Elapsed > cellLimit + Grace)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                AnsiConsole.MarkupLineInterpolated($"  [red]✗[/] {currentCell} did not stop at the {cellLimit.TotalSeconds:0.#} s limit; its process was killed.");
                return false;
            }
        }
        process.WaitForExit();
        lock (messages)
            foreach (string message in messages) Print(message);
        if (process.ExitCode is not (0 or 1))
            AnsiConsole.MarkupLineInterpolated($"  [red]✗[/] the notebook process ended with exit code {process.ExitCode} during {currentCell}.");
        return process.ExitCode == 0;
    }

    /// <summary>Lines the notebook process writes to stderr when a cell starts, so the parent knows where it is.</summary>
    private const string CellMarker = "@coursekit-cell ";

    /// <summary>The child's side: runs one notebook here, saving it after every cell, and exits 0 or 1.</summary>
    private static int RunHere(string path, string target, TimeSpan? limit, Dictionary<string, string> parameters, bool verbose)
    {
        var report = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        NotebookRunResult result;
        try
        {
            var notebook = NotebookDocument.Load(path);
            if (notebook.DefaultKernelName != "csharp" && !notebook.Cells.Any(c => c.Kind == CellKind.Code && c.KernelName(notebook.DefaultKernelName) == "csharp"))
                throw new NotebookException($"{path}: the notebook's kernel is '{notebook.DefaultKernelName}'; CourseKit runs C# notebooks (kernelspec .net-csharp).");
            result = NotebookRunner.Run(notebook, Path.GetDirectoryName(Path.GetFullPath(path))!, new RunOptions(parameters, limit),
                cellStarting: cell => report.WriteLine(CellMarker + cell),
                cellFinished: nb => nb.Save(target));
            notebook.Save(target);
        }
        catch (Exception e) when (!verbose)
        {
            report.WriteLine($"[red]✗[/] {Markup.Escape(e is NotebookException or IOException ? e.Message : $"{path}: {e.GetType().Name}: {e.Message}")}");
            return 1;
        }
        string cells = result.Cells == 1 ? "1 cell" : $"{result.Cells} cells";
        report.WriteLine(result.Succeeded
            ? $"[green]✓[/] {cells} in {result.Elapsed.TotalSeconds:0.0} s → {Markup.Escape(target)}"
            : $"[red]✗[/] {Markup.Escape(result.Error ?? "failed")} (outputs so far saved to {Markup.Escape(target)})");
        // A timed-out cell is still spinning on its thread: leave without waiting for it.
        if (result.TimedOut) Environment.Exit(1);
        return result.Succeeded ? 0 : 1;
    }

    /// <summary>Shows a line from the notebook process: its own reports are markup, anything else plain text.</summary>
    private static void Print(string line)
    {
        try { AnsiConsole.MarkupLine("  " + line); }
        catch (InvalidOperationException) { AnsiConsole.WriteLine("  " + line); }
    }

    /// <summary><c>name=value</c> pairs; null (after printing why) when one has no '='.</summary>
    private static Dictionary<string, string>? ParseParameters(string[] pairs)
    {
        var values = new Dictionary<string, string>();
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]✗[/] -p expects name=value, got '{pair}'.");
                return null;
            }
            values[pair[..equals]] = pair[(equals + 1)..];
        }
        return values;
    }

    /// <summary>A start info that runs this same command-line program with <paramref name="arguments"/>.</summary>
    private static ProcessStartInfo SelfStartInfo(string[] arguments)
    {
        string program = typeof(RunCommand).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost.Path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(program);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
