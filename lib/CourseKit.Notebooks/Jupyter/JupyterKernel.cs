using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NetMQ;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3) that runs C# cells in a <see cref="ScriptSession"/>, so the course
/// notebooks run in VS Code's Jupyter extension, JupyterLab and classic Jupyter, and <c>nbconvert --execute</c>
/// can drive them. Shell requests are answered one at a time on a worker thread; control requests (interrupt,
/// shutdown) are answered at once, even while a cell runs.
/// </summary>
public sealed class JupyterKernel
{
    /// <summary>Sent when an interrupted cell is still running after <see cref="InterruptGrace"/>.</summary>
    public const string NotInterruptible =
        "The cell cannot be interrupted: it does not check for cancellation. Restart the kernel to stop it.";

    /// <summary>How long an interrupted cell has to stop before it is reported as not interruptible.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(2);

    private readonly string _session = Guid.NewGuid().ToString();
    private readonly ConnectionInfo _connection;
    private readonly string _version;
    private readonly TextWriter _log;
    private readonly string _workingDirectory = Environment.CurrentDirectory;
    private readonly BlockingCollection<(long Number, JupyterMessage Request)> _shellQueue = new();
    private readonly BlockingCollection<string> _inputReplies = new();
    private KernelSockets? _sockets;
    private readonly TaskCompletionSource<ScriptSession> _scriptSession = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<LanguageServices> _languageServices = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _received;              // how many shell requests have arrived
    private long _abortThrough;          // execute requests up to this number are aborted (stop_on_error)
    private int _executionCount;
    private volatile Execution? _running;

    /// <summary>The cell that is running: its request, how to cancel it, where its outputs go.</summary>
    private sealed record Execution(JupyterMessage Request, CancellationTokenSource Cancellation, ExecutionOutput Output);

    /// <param name="connection">The connection file's sockets and key.</param>
    /// <param name="version">CourseKit's version, for <c>kernel_info</c>.</param>
    /// <param name="log">Where the kernel's own messages go (the process's stderr, which Jupyter logs).</param>
    public JupyterKernel(ConnectionInfo connection, string version, TextWriter log)
    {
        (_connection, _version, _log) = (connection, version, log);
    }

    /// <summary>Binds the sockets and serves until a <c>shutdown_request</c>.</summary>
    public void Run()
    {
        var sockets = _sockets = new KernelSockets(_connection, new MessageCodec(_connection.Key), _log, Received);
        _ = new Heartbeat(_connection.Endpoint(_connection.HbPort));
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, parent: null);
        Publish("status", new JsonObject { ["execution_state"] = "idle" }, parent: null);
        _ = Task.Run(WarmUp);
        new Thread(ServeShell) { IsBackground = true, Name = "Jupyter shell" }.Start();
        sockets.Run();
        NetMQConfig.Cleanup(block: true);
    }

    /// <summary>
    /// Compiles and runs two small cells in a throwaway session, so that Roslyn and the formatters are loaded and
    /// compiled before the first real cell, then makes the session the cells will share; then, while the first
    /// cells may already run, warms the language services up on the throwaway session (never on the real one,
    /// whose cells may be running) so the first completion is fast too.
    /// </summary>
    private void WarmUp()
    {
        try
        {
            using var scratch = new ScriptSession(_workingDirectory);
            scratch.Run("var warm = 1 + 1; display(warm); Console.Write(warm);", "warm-up", NoOutput.Instance);
            scratch.Run("warm + 1", "warm-up", NoOutput.Instance);
            Completeness.Check("1 + 1");
            var session = new ScriptSession(_workingDirectory);
            _scriptSession.SetResult(session);
            try
            {
                using var language = new LanguageServices(scratch);
                language.WarmUpAsync().GetAwaiter().GetResult();
                language.InspectAsync("Console.WriteLine(warm)", 10).GetAwaiter().GetResult();
            }
            catch (Exception e) { _log.WriteLine($"coursekit kernel: warming up completion failed: {e}"); }
            _languageServices.SetResult(new LanguageServices(session));
        }
        catch (Exception e)
        {
            _log.WriteLine($"coursekit kernel: Roslyn could not start: {e}");
            _scriptSession.TrySetException(e);
            _languageServices.TrySetException(e);
        }
    }

    /// <summary>Called on the socket thread: shell requests are queued, control and stdin handled here.</summary>
    private void Received(Channel channel, JupyterMessage message)
    {
        switch (channel)
        {
            case Channel.Shell:
                _shellQueue.Add((Interlocked.Increment(ref _received), message));
                break;
            case Channel.Control:
                HandleControl(message);
                break;
            case Channel.Stdin when message.MsgType == "input_reply":
                _inputReplies.Add((string?)message.Content["value"] ?? "");
                break;
            default:
                _log.WriteLine($"coursekit kernel: ignored {message.MsgType} on {channel.ToString().ToLowerInvariant()}.");
                break;
        }
    }

    private void HandleControl(JupyterMessage request)
    {
        switch (request.MsgType)
        {
            case "interrupt_request":
                Interrupt();
                Reply(Channel.Control, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                Shutdown(Channel.Control, request);
                break;
            case "kernel_info_request":
                Reply(Channel.Control, request, "kernel_info_reply", KernelInfo.Content(_version));
                break;
            default:
                _log.WriteLine($"coursekit kernel: {request.MsgType} on control is not supported; ignored.");
                break;
        }
    }

    /// <summary>Answers shell requests in the order they came, each between a busy and an idle status.</summary>
    private void ServeShell()
    {
        foreach (var (number, request) in _shellQueue.GetConsumingEnumerable())
        {
            Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
            bool shutdown = false;
            try { shutdown = HandleShell(number, request); }
            catch (Exception e) { _log.WriteLine($"coursekit kernel: {request.MsgType} failed: {e}"); }
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
            if (shutdown) _sockets!.Stop();
        }
    }

    /// <summary>Handles one shell request; true when it was a shutdown.</summary>
    private bool HandleShell(long number, JupyterMessage request)
    {
        var content = request.Content;
        switch (request.MsgType)
        {
            case "execute_request" when number <= Interlocked.Read(ref _abortThrough):
                Reply(Channel.Shell, request, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
                break;
            case "execute_request":
                Execute(request);
                break;
            case "kernel_info_request":
                Reply(Channel.Shell, request, "kernel_info_reply", KernelInfo.Content(_version));
                break;
            case "is_complete_request":
                string status = Completeness.Check((string?)content["code"] ?? "");
                Reply(Channel.Shell, request, "is_complete_reply",
                      status == "incomplete" ? new JsonObject { ["status"] = status, ["indent"] = "" } : new JsonObject { ["status"] = status });
                break;
            case "complete_request":
                Reply(Channel.Shell, request, "complete_reply", Complete((string?)content["code"] ?? "", (int?)content["cursor_pos"] ?? 0));
                break;
            case "inspect_request":
                Reply(Channel.Shell, request, "inspect_reply",
                      Inspect((string?)content["code"] ?? "", (int?)content["cursor_pos"] ?? 0, (int?)content["detail_level"] ?? 0));
                break;
            case "history_request":
                Reply(Channel.Shell, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() });
                break;
            case "comm_info_request":
                Reply(Channel.Shell, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "comm_open":
                // No comm targets (widgets): close it, as ipykernel does for an unknown target.
                Publish("comm_close", new JsonObject { ["comm_id"] = content["comm_id"]?.DeepClone(), ["data"] = new JsonObject() }, request);
                break;
            case "comm_msg" or "comm_close":
                break;
            case "shutdown_request":
                Shutdown(Channel.Shell, request, stop: false);
                return true;
            default:
                _log.WriteLine($"coursekit kernel: {request.MsgType} is not supported; ignored.");
                break;
        }
        return false;
    }

    /// <summary>
    /// Runs a cell: <c>execute_input</c>, its outputs, then <c>execute_reply</c>. After an error (with
    /// <c>stop_on_error</c>), the execute requests that arrived before the reply are aborted, as in ipykernel.
    /// </summary>
    private void Execute(JupyterMessage request)
    {
        var content = request.Content;
        string code = (string?)content["code"] ?? "";
        bool silent = (bool?)content["silent"] ?? false;
        bool storeHistory = !silent && ((bool?)content["store_history"] ?? true);
        bool allowStdin = (bool?)content["allow_stdin"] ?? true;
        bool stopOnError = (bool?)content["stop_on_error"] ?? true;
        if (storeHistory) _executionCount++;
        int count = _executionCount;
        if (!silent) Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);

        var cancellation = new CancellationTokenSource();
        Func<string, bool, string?>? ask = allowStdin ? (prompt, password) => AskInput(request, prompt, password, cancellation.Token) : null;
        var output = new ExecutionOutput((type, body) => Publish(type, body, request), ask, count, silent);
        _running = new Execution(request, cancellation, output);
        try
        {
            var (csharp, firstLine) = CellMagic.Strip(code, out string? otherKernel);
            if (otherKernel is not null)
                output.Error("KernelError", $"This is CourseKit's C# kernel; it cannot run {otherKernel} cells.", [$"This is CourseKit's C# kernel; it cannot run {otherKernel} cells."]);
            else
                _scriptSession.Task.GetAwaiter().GetResult().Run(csharp, silent ? "silent cell" : $"Cell In[{count}]", output, firstLine, cancellation: cancellation.Token);
        }
        catch (Exception e)
        {
            output.Error(e.GetType().Name, e.Message, e.ToString().Split('\n'));
        }
        finally
        {
            _running = null;
            output.Dispose();
        }

        JsonObject reply;
        if (output.Failure is { } failure)
        {
            reply = ExecutionOutput.ErrorContent(failure.Name, failure.Message, failure.Traceback);
            reply["status"] = "error";
            if (stopOnError && !silent) Interlocked.Exchange(ref _abortThrough, Interlocked.Read(ref _received));
        }
        else reply = new JsonObject { ["status"] = "ok", ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray() };
        reply["execution_count"] = count;
        Reply(Channel.Shell, request, "execute_reply", reply);
    }

    /// <summary>
    /// The completions at the cursor (offsets in code points), with their kinds and signatures in
    /// <c>_jupyter_types_experimental</c> for JupyterLab; none when the language services fail.
    /// </summary>
    private JsonObject Complete(string code, int cursor)
    {
        var types = new JsonArray();
        var reply = new JsonObject { ["status"] = "ok", ["matches"] = new JsonArray(), ["cursor_start"] = cursor, ["cursor_end"] = cursor, ["metadata"] = new JsonObject() };
        try
        {
            var result = _languageServices.Task.GetAwaiter().GetResult().CompleteAsync(code, cursor).GetAwaiter().GetResult();
            reply["matches"] = new JsonArray([.. result.Matches.Select(m => (JsonNode)JsonValue.Create(m)!)]);
            reply["cursor_start"] = result.CursorStart;
            reply["cursor_end"] = result.CursorEnd;
            foreach (var item in result.Items)
                types.Add(new JsonObject
                {
                    ["start"] = result.CursorStart, ["end"] = result.CursorEnd, ["text"] = item.Text, ["type"] = item.Kind,
                    ["signature"] = item.Signature ?? "",
                });
            reply["metadata"] = new JsonObject { ["_jupyter_types_experimental"] = types };
        }
        catch (Exception e) { _log.WriteLine($"coursekit kernel: completion failed: {e}"); }
        return reply;
    }

    /// <summary>The signature and documentation at the cursor (Shift+Tab, hover); not found when the language services fail.</summary>
    private JsonObject Inspect(string code, int cursor, int detailLevel)
    {
        var reply = new JsonObject { ["status"] = "ok", ["found"] = false, ["data"] = new JsonObject(), ["metadata"] = new JsonObject() };
        try
        {
            var result = _languageServices.Task.GetAwaiter().GetResult().InspectAsync(code, cursor, detailLevel).GetAwaiter().GetResult();
            if (result.Found)
            {
                reply["found"] = true;
                reply["data"] = new JsonObject { ["text/plain"] = result.PlainText, ["text/markdown"] = result.Markdown };
            }
        }
        catch (Exception e) { _log.WriteLine($"coursekit kernel: inspection failed: {e}"); }
        return reply;
    }

    /// <summary>Sends an <c>input_request</c> to the frontend that sent <paramref name="request"/> and waits for its reply.</summary>
    private string AskInput(JupyterMessage request, string prompt, bool password, CancellationToken cancellation)
    {
        while (_inputReplies.TryTake(out _)) { }                          // a late answer to an earlier question
        _sockets!.Send(Channel.Stdin, JupyterMessage.Create("input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password }, request, _session));
        return _inputReplies.Take(cancellation);
    }

    /// <summary>
    /// Cancels the running cell: its token (<see cref="Kernel.CellCancellation"/>) and a sleeping cell thread.
    /// A cell still running after <see cref="InterruptGrace"/> does not check for cancellation: say so.
    /// </summary>
    private void Interrupt()
    {
        if (_running is not { } running) return;
        running.Cancellation.Cancel();
        Task.Delay(InterruptGrace).ContinueWith(_ =>
        {
            if (_running != running) return;
            running.Output.Stream("stderr", NotInterruptible + "\n");
            running.Output.Flush();
        });
    }

    /// <summary>Answers a shutdown (echoing <c>restart</c>) on its channel and on iopub, then stops serving.</summary>
    private void Shutdown(Channel channel, JupyterMessage request, bool stop = true)
    {
        var content = new JsonObject { ["status"] = "ok", ["restart"] = (bool?)request.Content["restart"] ?? false };
        Reply(channel, request, "shutdown_reply", content);
        Publish("shutdown_reply", (JsonObject)content.DeepClone(), request);
        if (stop) _sockets!.Stop();
    }

    private void Reply(Channel channel, JupyterMessage request, string msgType, JsonObject content) =>
        _sockets!.Send(channel, JupyterMessage.Create(msgType, content, request, _session));

    private void Publish(string msgType, JsonObject content, JupyterMessage? parent) =>
        _sockets!.Send(Channel.Iopub, JupyterMessage.Create(msgType, content, parent, _session, identities: [System.Text.Encoding.UTF8.GetBytes($"kernel.{_session}.{msgType}")]));

    /// <summary>Where the warm-up cells' outputs go: nowhere.</summary>
    private sealed class NoOutput : ICellOutput
    {
        public static readonly NoOutput Instance = new();
        public void Stream(string name, string text) { }
        public void Display(IReadOnlyDictionary<string, string> bundle, string displayId) { }
        public void UpdateDisplay(IReadOnlyDictionary<string, string> bundle, string displayId) { }
        public void Result(IReadOnlyDictionary<string, string> bundle) { }
        public void Error(string name, string message, IReadOnlyList<string> traceback) { }
    }
}
