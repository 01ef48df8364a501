using System.Collections.Concurrent;

namespace CourseKit.Notebooks;

/// <summary>
/// The one thread all of a session's cells run on, as in a kernel: thread-static state set by one cell is
/// there in the next, and a cell blocked in <c>Thread.Sleep</c> can be woken with <see cref="Interrupt"/>.
/// </summary>
internal sealed class CellThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public CellThread()
    {
        _thread = new Thread(Loop)
        {
            IsBackground = true,
            Name = "CourseKit notebook cells",
        };
        _thread.Start();
    }

    /// <summary>Runs queued cells until disposed; an interrupt that arrives between cells is swallowed, not carried into the next one.</summary>
    private void Loop()
    {
        while (true)
        {
            Action action;
            try { action = _work.Take(); }
            catch (ThreadInterruptedException) { continue; }
            catch (InvalidOperationException) { return; }                  // disposed: no more cells
            action();
            try { Thread.Sleep(0); }                                         // consumes an interrupt that came too late
            catch (ThreadInterruptedException) { }
        }
    }

    /// <summary>Runs <paramref name="work"/> on the cell thread; the task completes when it does.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try { done.SetResult(work()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    /// <summary>Wakes the cell thread from a sleep or wait with a <see cref="ThreadInterruptedException"/>.</summary>
    public void Interrupt() => _thread.Interrupt();

    public void Dispose() => _work.CompleteAdding();
}
