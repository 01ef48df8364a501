using CourseKit.Notebooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CourseKit.Tests.Notebooks;

/// <summary>The script session runs C# cells the way the .NET Interactive C# kernel does.</summary>
public sealed class ScriptSessionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("coursekit-session-").FullName;
    private readonly ScriptSession _session;

    public ScriptSessionTests() => _session = new ScriptSession(_folder);

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private (CellResult Result, RecordedOutput Output) Run(string code, string cell = "cell 1")
    {
        var output = new RecordedOutput();
        return (_session.Run(code, cell, output), output);
    }

    [Fact]
    public void Variables_and_classes_from_earlier_cells_are_there_later()
    {
        Run("int total = 40;");
        Run("record Kernel3x3(float Centre) { public float Twice => 2 * Centre; }");
        var (result, output) = Run("total + (int)new Kernel3x3(1).Twice");

        Assert.Equal(CellStatus.Succeeded, result.Status);
        Assert.Equal(["result: 42"], output.Events);
    }

    [Fact]
    public void The_last_expression_is_shown_as_html_and_plain_text_but_a_statement_shows_nothing()
    {
        var (_, shown) = Run("new List<int> { 1, 2 }");
        var (_, silent) = Run("var list = new List<int> { 1, 2 };");

        Assert.Equal(["text/html", "text/plain"], shown.Bundles.Single().Keys.Order());
        Assert.Contains("[ 1, 2 ]", shown.Bundles.Single()["text/html"]);
        Assert.Empty(silent.Events);
    }

    [Fact]
    public void Console_output_and_displays_arrive_in_the_order_they_happen()
    {
        var (_, output) = Run("""
            Console.Write("before ");
            display("shown");
            Console.Error.WriteLine("warning");
            "value"
            """);

        Assert.Equal(["stdout: before ", "display: shown", "stderr: warning\n", "result: value"], output.Events);
    }

    [Fact]
    public void A_display_handle_updates_its_output()
    {
        var (_, output) = Run("""
            var shown = display("epoch 1");
            shown.Update("epoch 2");
            """);

        Assert.Equal(["display: epoch 1", "update: epoch 2"], output.Events);
    }

    [Fact]
    public void A_formatter_registered_in_a_cell_formats_later_values()
    {
        Run("""
            record Point(int X, int Y);
            Formatter.Register<Point>(p => $"<b>({p.X}, {p.Y})</b>", "text/html");
            """);
        var (_, output) = Run("new Point(3, 4)");

        Assert.Equal("<b>(3, 4)</b>", output.Bundles.Single()["text/html"]);
    }

    [Fact]
    public void HTML_marks_a_string_as_html()
    {
        var (_, output) = Run("""HTML("<i>edge</i>")""");

        Assert.Equal("<i>edge</i>", output.Bundles.Single()["text/html"]);
    }

    [Fact]
    public void A_compile_error_names_the_cell_and_the_line_in_the_notebook()
    {
        var output = new RecordedOutput();
        var result = _session.Run("var a = 1;\nvar b = a + missing;", "cell 4", output, firstLine: 2);

        Assert.Equal(CellStatus.Failed, result.Status);
        Assert.Equal("cell 4, line 3: error CS0103: The name 'missing' does not exist in the current context", result.Error);
        Assert.StartsWith("error CompilationError: cell 4, line 3: error CS0103", output.Events.Single());
    }

    [Fact]
    public void An_exception_is_reported_with_its_line_and_the_state_before_it_is_kept()
    {
        var (result, output) = Run("int kept = 7;\nthrow new InvalidOperationException(\"kernel too large\");", "cell 2");
        var (_, after) = Run("kept");

        Assert.Equal(CellStatus.Failed, result.Status);
        Assert.Equal(["error InvalidOperationException: kernel too large"], output.Events);
        Assert.Equal(["result: 7"], after.Events);
    }

    [Fact]
    public void An_exception_traceback_points_at_the_cell_line()
    {
        var recorded = new TracebackOutput();
        _session.Run("int Divide(int a, int b) => a / b;\n\nDivide(1, 0)", "cell 5", recorded);

        Assert.Contains(recorded.Traceback, line => line.Contains("in cell 5, line 1"));
        Assert.DoesNotContain(recorded.Traceback, line => line.Contains("Microsoft.CodeAnalysis.Scripting"));
    }

    [Fact]
    public void A_dll_is_referenced_by_a_path_relative_to_the_notebook()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "lib"));
        var compilation = CSharpCompilation.Create("Lecture",
            [CSharpSyntaxTree.ParseText("namespace Lecture; public static class Answer { public static int Value => 456; }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.True(compilation.Emit(Path.Combine(_folder, "lib", "Lecture.dll")).Success);

        var (_, output) = Run("#r \"lib/Lecture.dll\"\nLecture.Answer.Value");

        Assert.Equal(["result: 456"], output.Events);
    }

    [Fact]
    public void A_missing_dll_says_what_to_build()
    {
        var (result, _) = Run("#r \"../lib/CourseKit/bin/Release/net8.0/Nowhere.dll\"");

        Assert.Equal(CellStatus.Failed, result.Status);
        Assert.Contains("CS0006", result.Error);
        Assert.Contains("Nowhere.dll", result.Error);
    }

    [Fact]
    public void Time_magic_reports_the_wall_time()
    {
        var (_, output) = Run("#!time\nvar x = 1;");

        Assert.Matches(@"^stdout: Wall time: [0-9.]+ms\n$", output.Events.Single());
    }

    [Fact]
    public void An_unsupported_magic_is_a_clear_error()
    {
        var (result, _) = Run("#!who\nvar x = 1;", "cell 6");

        Assert.Equal(CellStatus.Failed, result.Status);
        Assert.Contains("cell 6, line 1: the magic command #!who is not supported", result.Error);
    }

    [Fact]
    public void Cancellation_wakes_a_sleeping_cell_and_the_session_stays_usable()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = _session.Run("System.Threading.Thread.Sleep(30_000);", "cell 1", new RecordedOutput(), cancellation: cancel.Token);

        Assert.Equal(CellStatus.Cancelled, result.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(["result: 2"], Run("1 + 1").Output.Events);
    }

    private sealed class TracebackOutput : ICellOutput
    {
        public IReadOnlyList<string> Traceback { get; private set; } = [];
        public void Stream(string name, string text) { }
        public void Display(IReadOnlyDictionary<string, string> bundle, string displayId) { }
        public void UpdateDisplay(IReadOnlyDictionary<string, string> bundle, string displayId) { }
        public void Result(IReadOnlyDictionary<string, string> bundle) { }
        public void Error(string name, string message, IReadOnlyList<string> traceback) => Traceback = traceback;
    }
}
