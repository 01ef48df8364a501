using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

namespace CourseKit.Notebooks;

/// <summary>
/// Runs C# cells one after another with shared state, the way the .NET Interactive C# kernel does: Roslyn
/// scripting, the kernel's default usings, <c>display()</c>/<c>HTML()</c>, the last expression's value shown
/// through Microsoft.DotNet.Interactive.Formatting, console output captured in order, and compile errors
/// and exceptions reported with the cell and line.
/// </summary>
public sealed class ScriptSession : IDisposable
{
    /// <summary>The namespaces (and, for <c>using static</c>, types) every cell starts with, as in .NET Interactive.</summary>
    public static IReadOnlyList<string> DefaultImports { get; } =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
        "Microsoft.DotNet.Interactive.Formatting", "Microsoft.DotNet.Interactive.Formatting.PocketViewTags",
        typeof(Kernel).FullName!,
    ];

    private static readonly MethodInfo? HasReturnValueMethod =
        typeof(Script).GetMethod("HasReturnValue", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>How long a cancelled cell may take to stop by itself before its thread is interrupted.</summary>
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromMilliseconds(500);

    private readonly CellThread _thread = new();
    private readonly NuGetResolver _nuget;
    private readonly List<string> _sources = [];
    private readonly List<PackageRequest> _packages = [];
    private ScriptOptions _options;
    private ScriptState<object>? _state;
    private bool _broken;

    /// <summary>A new session whose relative paths (<c>#r</c>, files) start at <paramref name="workingDirectory"/>.</summary>
    public ScriptSession(string workingDirectory, NuGetResolver? nuget = null)
    {
        WorkingDirectory = Path.GetFullPath(workingDirectory);
        _nuget = nuget ?? NuGetResolver.Default;
        _options = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithImports(DefaultImports)
            .AddReferences(typeof(Kernel).Assembly, typeof(Formatter).Assembly, typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(WorkingDirectory))
            .WithSourceResolver(new SourceFileResolver([], WorkingDirectory))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithAllowUnsafe(true);
        ConsoleCapture.Install();
    }

    /// <summary>Where relative paths start.</summary>
    public string WorkingDirectory { get; }

    /// <summary>
    /// The last cell that compiled and ran (also when it then threw: its declarations stay, as for the next cell);
    /// its <see cref="Script.Previous"/> chain holds the earlier ones. Null before the first. For the language services.
    /// </summary>
    internal Script? LastSubmission => _state?.Script;

    /// <summary>The options the next cell compiles with: imports, references (restored packages included), resolvers.</summary>
    internal ScriptOptions Options => _options;

    /// <summary>The variables the cells so far have declared (the latest of each name), for parameters and the kernel's tools.</summary>
    public IReadOnlyList<ScriptVariable> Variables =>
        _state?.Variables.GroupBy(v => v.Name).Select(g => g.Last()).ToList() ?? [];

    /// <summary>
    /// Runs one cell. Errors do not throw: they become an error output and a <see cref="CellStatus.Failed"/>
    /// result, and the session stays usable (the state before the failing statement is kept).
    /// </summary>
    /// <param name="code">The cell's C# code, directives included.</param>
    /// <param name="cellName">How messages name the cell, e.g. <c>cell 3</c>.</param>
    /// <param name="output">Receives the cell's outputs in order.</param>
    /// <param name="firstLine">The line of the notebook cell where <paramref name="code"/> starts (after a magic line).</param>
    /// <param name="timeout">A wall-clock limit; a cell still running then is abandoned and the session is finished.</param>
    /// <param name="cancellation">Interrupts the cell: passed to the script (and so to Trainer.Fit); a cell still running half a second later is woken from a sleep or wait.</param>
    public CellResult Run(string code, string cellName, ICellOutput output, int firstLine = 1,
                          TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        if (_broken) throw new InvalidOperationException("The session's previous cell never finished; start a new session.");
        var clock = Stopwatch.StartNew();
        Directives directives;
        try
        {
            directives = Directives.Parse(code, cellName, firstLine);
            AddPackages(directives);
        }
        catch (NotebookException e)
        {
            output.Error("DirectiveError", e.Message, [e.Message]);
            return new CellResult(CellStatus.Failed, clock.Elapsed, e.Message);
        }

        var script = Compile(directives.Code, cellName, firstLine, output, out string? compileError);
        if (script is null) return new CellResult(CellStatus.Failed, clock.Elapsed, compileError);

        var running = _thread.Run(() => Execute(script, output, cellName, firstLine, directives.Time, cancellation));
        // Cancellation first asks nicely (the token; Trainer.Fit stops after its step); a cell still running after
        // InterruptGrace is woken from any sleep or wait it is blocked in.
        using (cancellation.Register(() => Task.Delay(InterruptGrace).ContinueWith(_ => { if (!running.IsCompleted) _thread.Interrupt(); })))
        {
            try
            {
                if (!running.Wait(timeout ?? Timeout.InfiniteTimeSpan))
                {
                    _broken = true;
                    string message = $"{cellName} was stopped: it ran longer than the {timeout!.Value.TotalSeconds:0.#} s limit.";
                    output.Error("TimeoutError", message, [message]);
                    return new CellResult(CellStatus.TimedOut, clock.Elapsed, message);
                }
            }
            catch (AggregateException e) when (e.InnerException is not null)
            {
                // Execute reports everything it can; what reaches here is a failure of the engine itself.
                output.Error(e.InnerException.GetType().Name, e.InnerException.Message, Traceback(e.InnerException, cellName, firstLine));
                return new CellResult(CellStatus.Failed, clock.Elapsed, e.InnerException.Message);
            }
        }
        return running.Result with { Elapsed = clock.Elapsed };
    }

    /// <summary>Compiles the cell as the next submission; compile errors are reported and give null.</summary>
    private Script<object>? Compile(string code, string cellName, int firstLine, ICellOutput output, out string? error)
    {
        var options = _options.WithFilePath(cellName);
        var script = _state is null ? CSharpScript.Create(code, options) : _state.Script.ContinueWith(code, options);
        var errors = script.Compile().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count == 0) { error = null; return script; }

        var lines = errors.Select(d => Describe(d, cellName, firstLine)).ToList();
        output.Error("CompilationError", string.Join("\n", lines), lines);
        error = lines[0];
        return null;
    }

    /// <summary>Runs a compiled cell on the cell thread and reports its value or exception.</summary>
    private CellResult Execute(Script<object> script, ICellOutput output, string cellName, int firstLine, bool time, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        Kernel.SetOutput(output, cancellation);
        string? previousDirectory = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = WorkingDirectory;
            var run = _state is null
                ? script.RunAsync(globals: null, catchException: _ => true, cancellation)
                : script.RunFromAsync(_state, catchException: _ => true, cancellation);
            var state = run.GetAwaiter().GetResult();
            _state = state;
            if (state.Exception is { } exception)
            {
                var reported = exception is ThreadInterruptedException or OperationCanceledException && cancellation.IsCancellationRequested
                    ? new OperationCanceledException($"{cellName} was interrupted.", exception) : exception;
                var traceback = Traceback(reported, cellName, firstLine);
                output.Error(reported.GetType().Name, reported.Message, traceback);
                return new CellResult(reported is OperationCanceledException ? CellStatus.Cancelled : CellStatus.Failed,
                                      clock.Elapsed, $"{cellName}: {reported.GetType().Name}: {reported.Message}");
            }
            if (HasReturnValue(script)) output.Result(MimeBundle.From(state.ReturnValue));
            if (time) output.Stream("stdout", string.Create(CultureInfo.InvariantCulture, $"Wall time: {clock.Elapsed.TotalMilliseconds:0.####}ms\n"));
            return new CellResult(CellStatus.Succeeded, clock.Elapsed);
        }
        catch (Exception e) when (e is OperationCanceledException or ThreadInterruptedException)
        {
            output.Error(nameof(OperationCanceledException), $"{cellName} was interrupted.", [$"{cellName} was interrupted."]);
            return new CellResult(CellStatus.Cancelled, clock.Elapsed, $"{cellName} was interrupted.");
        }
        finally
        {
            Kernel.SetOutput(null);
            Environment.CurrentDirectory = previousDirectory;
        }
    }

    /// <summary>Restores newly requested packages and adds their assemblies to the references.</summary>
    private void AddPackages(Directives directives)
    {
        _sources.AddRange(directives.Sources.Except(_sources));
        var fresh = directives.Packages.Where(p => !_packages.Contains(p)).ToList();
        if (fresh.Count == 0) return;
        var paths = _nuget.Resolve(fresh, _sources, WorkingDirectory);
        _options = _options.AddReferences(paths.Select(p => MetadataReference.CreateFromFile(p)));
        _packages.AddRange(fresh);
    }

    /// <summary>Whether the cell ends with an expression whose value is shown (not with a statement).</summary>
    private static bool HasReturnValue(Script script) =>
        HasReturnValueMethod is null ? false : (bool)HasReturnValueMethod.Invoke(script, null)!;

    /// <summary><c>cell 3, line 2: error CS0103: The name 'x' does not exist in the current context</c>.</summary>
    private static string Describe(Diagnostic diagnostic, string cellName, int firstLine)
    {
        var span = diagnostic.Location.GetLineSpan();
        string where = diagnostic.Location.IsInSource ? $"{cellName}, line {span.StartLinePosition.Line + firstLine}" : cellName;
        string hint = diagnostic.Id == "CS0006" ? " (build it first; for CourseKit: dotnet build lib/CourseKit -c Release)" : "";
        return $"{where}: error {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}{hint}";
    }

    /// <summary>The exception's text without the scripting engine's own frames, cell lines counted as in the notebook.</summary>
    private static List<string> Traceback(Exception exception, string cellName, int firstLine)
    {
        var cellLine = new Regex($@"in (?:[^\n]*[/\\])?{Regex.Escape(cellName)}:line (?<line>\d+)");
        var lines = new List<string>();
        foreach (string line in exception.ToString().Split('\n'))
        {
            string trimmed = line.TrimEnd('\r');
            if (trimmed.Contains("Microsoft.CodeAnalysis.Scripting") || trimmed.Contains("--- End of stack trace") ||
                trimmed.Contains("CourseKit.Notebooks.ScriptSession")) continue;
            lines.Add(cellLine.Replace(trimmed, m => $"in {cellName}, line {int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture) + firstLine - 1}"));
        }
        return lines;
    }

    /// <summary>Ends the cell thread.</summary>
    public void Dispose() => _thread.Dispose();
}
