using System.Text.Json.Nodes;
using CourseKit.Notebooks;
using CourseKit.Notebooks.Jupyter;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Jupyter;

/// <summary>The kernel's parts in process: signing, completeness, iopub outputs, stdin, cancellation, the kernelspec.</summary>
public sealed class KernelPartsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("coursekit-kernel-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_message_round_trips_through_the_wire_format_and_another_key_rejects_it()
    {
        var request = JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "1 + 1" }, parent: null, "session-1", identities: ["client"u8.ToArray()]);
        var frames = new MessageCodec("secret").Encode(request);

        Assert.Equal("client"u8.ToArray(), frames[0]);
        Assert.Equal(MessageCodec.Delimiter, frames[1]);
        Assert.Equal(64, frames[2].Length);                                 // hex HMAC-SHA256
        var decoded = new MessageCodec("secret").Decode(frames, out string? problem);
        Assert.Null(problem);
        Assert.Equal("execute_request", decoded!.MsgType);
        Assert.Equal("1 + 1", (string?)decoded.Content["code"]);
        Assert.Equal("5.3", (string?)decoded.Header["version"]);
        Assert.Null(new MessageCodec("another key").Decode(frames, out problem));
        Assert.Equal("invalid signature", problem);
    }

    [Theory]
    [InlineData("1 + 1", "complete")]
    [InlineData("for (int i = 0; i < 3; i++) {", "incomplete")]
    [InlineData("var conv = new Conv2d(3, 6,", "incomplete")]
    [InlineData("int x = ;", "invalid")]
    [InlineData("#!time\nThread.Sleep(10);", "complete")]
    [InlineData("#!fsharp\nlet x = 1", "invalid")]
    public void Is_complete_tells_a_whole_cell_from_one_that_needs_more_lines(string code, string expected) =>
        Assert.Equal(expected, Completeness.Check(code));

    [Fact]
    public void Console_text_is_coalesced_but_sent_before_the_next_display()
    {
        var sent = new List<string>();
        using (var output = new ExecutionOutput((type, content) => sent.Add($"{type}: {content["text"] ?? content["data"]?["text/plain"]}"), ask: null, executionCount: 4, silent: false))
        {
            output.Stream("stdout", "a");
            output.Stream("stdout", "b");
            output.Display(new Dictionary<string, string> { ["text/plain"] = "shown" }, "id-1");
            output.Stream("stderr", "c");
            output.Stream("stdout", "d");
            output.Result(new Dictionary<string, string> { ["text/plain"] = "42" });
            output.Stream("stdout", "e");
        }

        Assert.Equal(["stream: ab", "display_data: shown", "stream: c", "stream: d", "execute_result: 42", "stream: e"], sent);
    }

    [Fact]
    public void Console_ReadLine_in_a_cell_asks_the_output_and_gets_null_without_stdin()
    {
        using var session = new ScriptSession(_folder);
        var asking = new AskingOutput("Ada");
        session.Run("var name = Console.ReadLine(); Console.Write($\"hello {name}\");", "cell 1", asking);
        var recorded = new RecordedOutput();
        session.Run("Console.ReadLine() is null", "cell 2", recorded);

        Assert.Equal(["stdout: hello Ada"], asking.Events);
        Assert.Equal(["result: True"], recorded.Events);
    }

    [Fact]
    public void CellCancellation_is_the_running_cells_token_and_none_outside_cells()
    {
        using var session = new ScriptSession(_folder);
        using var interrupt = new CancellationTokenSource();
        var output = new AskingOutput("", onStream: interrupt.Cancel);          // the stop button, pressed once the cell runs

        var result = session.Run("Console.Write(\"looping\"); while (!CellCancellation.IsCancellationRequested) { } \"stopped at the token\"",
                                 "cell 1", output, cancellation: interrupt.Token);

        Assert.Equal(CellStatus.Succeeded, result.Status);
        Assert.Equal(["stdout: looping", "result: stopped at the token"], output.Events);
        Assert.False(Kernel.CellCancellation.CanBeCanceled);
    }

    [Fact]
    public void Install_writes_a_kernelspec_that_starts_this_program_and_refuses_someone_elses()
    {
        string kernels = KernelSpec.PrefixKernelsFolder(_folder);
        var json = KernelSpec.KernelJson(["/usr/bin/dotnet", "/opt/coursekit/CourseKit.Cli.dll"], "0.1.0");
        string folder = KernelSpec.Install(kernels, KernelSpec.DefaultName, json, [1, 2, 3], force: false);

        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!;
        Assert.Equal(Path.Combine(_folder, "share", "jupyter", "kernels", ".net-csharp"), folder);
        Assert.Equal(["/usr/bin/dotnet", "/opt/coursekit/CourseKit.Cli.dll", "kernel", "-f", "{connection_file}"],
                     written["argv"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("message", (string?)written["interrupt_mode"]);
        Assert.Equal("0.1.0", (string?)written["metadata"]!["coursekit"]!["version"]);
        KernelSpec.Install(kernels, KernelSpec.DefaultName, json, [1, 2, 3], force: false);     // its own: updated quietly

        string interactive = Path.Combine(kernels, "dotnet-interactive");
        Directory.CreateDirectory(interactive);
        File.WriteAllText(Path.Combine(interactive, "kernel.json"), """{ "argv": ["dotnet-interactive", "jupyter"], "display_name": ".NET (C#)", "language": "C#" }""");
        var refused = Assert.Throws<NotebookException>(() => KernelSpec.Install(kernels, "dotnet-interactive", json, [], force: false));
        Assert.Contains("not CourseKit's (display name \".NET (C#)\", started by dotnet-interactive)", refused.Message);
        Assert.Contains("--force", refused.Message);
        Assert.Throws<NotebookException>(() => KernelSpec.Uninstall(kernels, "dotnet-interactive"));
        KernelSpec.Install(kernels, "dotnet-interactive", json, [], force: true);
        Assert.True(KernelSpec.IsCourseKits(interactive));

        Assert.Equal(folder, KernelSpec.Uninstall(kernels, KernelSpec.DefaultName));
        Assert.False(Directory.Exists(folder));
        Assert.Null(KernelSpec.Uninstall(kernels, KernelSpec.DefaultName));
    }

    /// <summary>A cell output that answers every question with the same line (and can act when the cell writes).</summary>
    private sealed class AskingOutput(string answer, Action? onStream = null) : ICellOutput, ICellInput
    {
        public List<string> Events { get; } = [];
        public string? ReadLine(string prompt, bool password) => answer;
        public void Stream(string name, string text)
        {
            Events.Add($"{name}: {text}");
            onStream?.Invoke();
        }
        public void Display(IReadOnlyDictionary<string, string> bundle, string displayId) => Events.Add("display");
        public void UpdateDisplay(IReadOnlyDictionary<string, string> bundle, string displayId) => Events.Add("update");
        public void Result(IReadOnlyDictionary<string, string> bundle) => Events.Add($"result: {bundle["text/plain"]}");
        public void Error(string name, string message, IReadOnlyList<string> traceback) => Events.Add($"error: {message}");
    }
}
