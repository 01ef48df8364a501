using System.Text;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// A running cell's outputs as iopub messages answering its <c>execute_request</c>: console text as
/// <c>stream</c> (rapid writes coalesced, flushed at most every 50 ms and before anything else is sent, so the
/// order is kept), <c>display_data</c>/<c>update_display_data</c> with the display id, the last expression's
/// <c>execute_result</c> and the <c>error</c>. <c>Console.ReadLine()</c> becomes an <c>input_request</c> when the
/// frontend allows stdin.
/// </summary>
internal sealed class ExecutionOutput : ICellOutput, ICellInput, IDisposable
{
    /// <summary>How long console text may wait before it is sent.</summary>
    private static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(50);

    private readonly object _gate = new();
    private readonly Action<string, JsonObject> _publish;
    private readonly Func<string, bool, string?>? _ask;
    private readonly int _executionCount;
    private readonly bool _silent;
    private readonly StringBuilder _pending = new();
    private readonly Timer _flushTimer;
    private string _pendingStream = "";
    private bool _flushScheduled;
    private bool _finished;

    /// <param name="publish">Sends an iopub message (type, content) whose parent is the execute request.</param>
    /// <param name="ask">Asks the frontend for a line (prompt, password); null when the request did not allow stdin.</param>
    /// <param name="executionCount">The cell's number, for <c>execute_result</c>.</param>
    /// <param name="silent">A silent execution shows no <c>execute_result</c>.</param>
    public ExecutionOutput(Action<string, JsonObject> publish, Func<string, bool, string?>? ask, int executionCount, bool silent)
    {
        (_publish, _ask, _executionCount, _silent) = (publish, ask, executionCount, silent);
        _flushTimer = new Timer(_ => Flush());
    }

    /// <summary>The error that ended the cell (for the <c>execute_reply</c>), or null.</summary>
    public (string Name, string Message, IReadOnlyList<string> Traceback)? Failure { get; private set; }

    public void Stream(string name, string text)
    {
        lock (_gate)
        {
            if (_pendingStream != name) FlushLocked();
            _pendingStream = name;
            _pending.Append(text);
            if (_finished) FlushLocked();
            else if (!_flushScheduled)
            {
                _flushScheduled = true;
                _flushTimer.Change(FlushDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Display(IReadOnlyDictionary<string, string> bundle, string displayId) =>
        Send("display_data", new JsonObject { ["data"] = Data(bundle), ["metadata"] = new JsonObject(), ["transient"] = new JsonObject { ["display_id"] = displayId } });

    public void UpdateDisplay(IReadOnlyDictionary<string, string> bundle, string displayId) =>
        Send("update_display_data", new JsonObject { ["data"] = Data(bundle), ["metadata"] = new JsonObject(), ["transient"] = new JsonObject { ["display_id"] = displayId } });

    public void Result(IReadOnlyDictionary<string, string> bundle)
    {
        if (!_silent)
            Send("execute_result", new JsonObject { ["execution_count"] = _executionCount, ["data"] = Data(bundle), ["metadata"] = new JsonObject() });
    }

    public void Error(string name, string message, IReadOnlyList<string> traceback)
    {
        Failure = (name, message, traceback);
        Send("error", ErrorContent(name, message, traceback));
    }

    /// <summary>Asks the frontend (after sending the text written so far, which is usually the prompt).</summary>
    public string? ReadLine(string prompt, bool password)
    {
        if (_ask is null) return null;
        Flush();
        return _ask(prompt, password);
    }

    /// <summary>Sends the console text written so far.</summary>
    public void Flush()
    {
        lock (_gate) FlushLocked();
    }

    /// <summary>Sends what is left; later writes (from threads the cell left running) are still sent.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            FlushLocked();
            _finished = true;
            _flushTimer.Dispose();
        }
    }

    /// <summary><c>{ename, evalue, traceback}</c>, the fields of an <c>error</c> message and of an error reply.</summary>
    public static JsonObject ErrorContent(string name, string message, IReadOnlyList<string> traceback) => new()
    {
        ["ename"] = name, ["evalue"] = message,
        ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode)JsonValue.Create(line)!).ToArray()),
    };

    private void Send(string msgType, JsonObject content)
    {
        lock (_gate)
        {
            FlushLocked();
            _publish(msgType, content);
        }
    }

    private void FlushLocked()
    {
        _flushScheduled = false;
        if (_pending.Length == 0) return;
        _publish("stream", new JsonObject { ["name"] = _pendingStream, ["text"] = _pending.ToString() });
        _pending.Clear();
    }

    /// <summary>The MIME bundle as nbformat wants it: JSON types as JSON, the rest as strings.</summary>
    private static JsonObject Data(IReadOnlyDictionary<string, string> bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, text) in bundle)
            data[mime] = mime == "application/json" || mime.EndsWith("+json", StringComparison.Ordinal) ? JsonNode.Parse(text) : JsonValue.Create(text);
        return data;
    }
}
