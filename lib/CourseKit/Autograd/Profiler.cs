using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CourseKit;

/// <summary>
/// Where the time of a training step goes, operation by operation (like <c>torch.profiler</c>):
/// <code>
/// using (var profile = Profiler.Start())
///     for (int i = 0; i &lt; 10; i++) { optimizer.ZeroGrad(); loss.Forward(model.Call(x), y).Backward(); optimizer.Step(); }
/// Console.WriteLine(profile.Table());
/// </code>
/// An operation's forward time is the time since the previous operation on the same thread finished
/// (so it includes any bookkeeping between the two), its backward time is the time its backward rule
/// took (adding up gradients that meet appears as Add). Time in no operation at all — the optimiser step, data
/// handling — appears as "(outside operations)". Profiling costs a clock read per operation.
/// </summary>
public sealed class Profiler : IDisposable
{
    [ThreadStatic] private static Profiler? _current;

    private readonly Dictionary<string, Entry> _entries = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Profiler? _outer;
    private long _lastForwardEnd;
    private long _backwardTicks;
    private long _stopTicks = -1;
    private int _backwardDepth;

    private sealed class Entry
    {
        public long ForwardTicks, BackwardTicks;
        public int ForwardCalls, BackwardCalls;
    }

    private Profiler(Profiler? outer) => _outer = outer;

    /// <summary>Starts recording on the current thread until the returned profiler is disposed.</summary>
    public static Profiler Start() => _current = new Profiler(_current);

    /// <summary>Stops recording (the table stays available).</summary>
    public void Dispose()
    {
        if (_stopTicks >= 0) return;
        _stopTicks = _clock.ElapsedTicks;
        _current = _outer;
    }

    /// <summary>Wall time from <see cref="Start"/> to <see cref="Dispose"/> (or to now, while recording).</summary>
    public TimeSpan Elapsed => TimeSpan.FromSeconds((double)(_stopTicks >= 0 ? _stopTicks : _clock.ElapsedTicks) / Stopwatch.Frequency);

    /// <summary>Called by every operation when its result is ready (recorded for autograd or not).</summary>
    internal static void OperationFinished(string op)
    {
        if (_current is not { } p || p._backwardDepth > 0) return;   // operations inside a backward rule belong to it
        long now = p._clock.ElapsedTicks;
        var e = p.EntryFor(op);
        e.ForwardTicks += now - p._lastForwardEnd;
        e.ForwardCalls++;
        p._lastForwardEnd = now;
    }

    /// <summary>Times one backward rule; returns its input gradients.</summary>
    internal static Tensor?[] TimeBackward(Node node, Tensor gradient)
    {
        if (_current is not { } p) return node.Backward(gradient);
        long start = p._clock.ElapsedTicks;
        p._backwardDepth++;
        Tensor?[] result;
        try { result = node.Backward(gradient); }
        finally { p._backwardDepth--; }
        long took = p._clock.ElapsedTicks - start;
        var e = p.EntryFor(node.Op);
        e.BackwardTicks += took;
        e.BackwardCalls++;
        p._backwardTicks += took;
        p._lastForwardEnd = p._clock.ElapsedTicks;   // time spent in Backward() is not the next operation's forward
        return result;
    }

    /// <summary>Marks the end of bookkeeping outside any operation (so it is not charged to the next one).</summary>
    internal static void OutsideOperations()
    {
        if (_current is { } p) p._lastForwardEnd = p._clock.ElapsedTicks;
    }

    private Entry EntryFor(string op)
    {
        if (!_entries.TryGetValue(op, out var e)) _entries[op] = e = new Entry();
        return e;
    }

    /// <summary>One row per operation: (name, forward, backward, calls), slowest first.</summary>
    public IReadOnlyList<(string Op, TimeSpan Forward, TimeSpan Backward, int Calls)> Rows() =>
        _entries.OrderByDescending(kv => kv.Value.ForwardTicks + kv.Value.BackwardTicks)
            .Select(kv => (kv.Key, Seconds(kv.Value.ForwardTicks), Seconds(kv.Value.BackwardTicks), Math.Max(kv.Value.ForwardCalls, kv.Value.BackwardCalls)))
            .ToList();

    /// <summary>The profile as a text table: milliseconds forward and backward per operation and share of the wall time.</summary>
    public string Table()
    {
        double total = Elapsed.TotalMilliseconds;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"operation",-24} {"calls",7} {"forward ms",11} {"backward ms",12} {"share",7}");
        double accounted = 0;
        foreach (var (op, f, b, calls) in Rows())
        {
            double ms = f.TotalMilliseconds + b.TotalMilliseconds;
            accounted += ms;
            sb.AppendLine(CultureInfo.InvariantCulture, $"{op,-24} {calls,7} {f.TotalMilliseconds,11:0.0} {b.TotalMilliseconds,12:0.0} {ms / total,7:P1}");
        }
        double outside = Math.Max(0, total - accounted);
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"(outside operations)",-24} {"",7} {"",11} {"",12} {outside / total,7:P1}");
        sb.Append(CultureInfo.InvariantCulture, $"{"total",-24} {"",7} {total,11:0.0} ms");
        return sb.ToString();
    }

    private static TimeSpan Seconds(long ticks) => TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
}
