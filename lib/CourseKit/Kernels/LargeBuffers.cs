// ─────────────────────────────────────────────────────────────────────────────────────────────
// LargeBuffers: where activations and gradients get their memory, and why training needs a memory
// budget in a garbage-collected runtime.
//
// A training step of the small CIFAR-10 network at batch 64 allocates about 190 MB of activations and
// gradients in arrays of 0.5–8 MB; evaluating at batch 1000 allocates 1.3 GB per batch in arrays of up
// to 131 MB. Each is dead moments later. But .NET puts arrays above 85,000 bytes on the large object
// heap, which only a full (gen 2) collection sweeps, and the runtime starts one only after a multiple of
// what survived the last one has been allocated (here the dataset's bytes plus a step's activations),
// letting allocation go on while a background collection runs. A CIFAR-10 run peaked at 3.35 GB with
// about 0.4 GB alive.
//
// Tensors cannot hand their buffers back to a pool themselves: C# has no reference counts, and a buffer
// that user code still holds (an activation kept by a module, a loss kept for a plot) must never be
// reused. Only the collector knows which buffers are dead, so this file asks it at the right moment:
// once the process has allocated half as much as was alive after the last full collection (at least
// 256 MB), the next large buffer first runs a full blocking collection. The buffers of the previous
// steps are swept and the new ones reuse their space, so memory stays near one and a half times the
// live data, whatever the training loop and whatever process it runs in (CLI or notebook kernel).
//
// Recycling. Fresh memory is expensive in another way: the runtime returns swept space to the operating
// system, and the first write to each new 4 KiB page costs a page fault in which the kernel zeroes it —
// a ReLU over 8 MB took 1.3 ms into a new array against 0.5 ms into a used one. So dead buffers are
// handed out again, found the same way: each buffer handed out has a small companion object with a
// finaliser, tied to it by a ConditionalWeakTable (which keeps the companion alive exactly as long as the
// buffer). When the collector finds the buffer unreachable, the companion's finaliser runs and puts the
// buffer into a pool by length; a training loop asks for the same lengths every step and gets them back.
// Nothing that is still referenced — by a tensor, a view, a span on some thread's stack — can be pooled.
// Pooled buffers not asked for until the next collection are let go, so the pool never holds more than
// one round of dead buffers.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Runtime.CompilerServices;

namespace CourseKit.Kernels;

/// <summary>
/// Allocates the float buffers of tensors (activations, gradients) and keeps a training loop's memory
/// near one and a half times its live data: before a large buffer, a full collection runs if the process
/// has allocated (or been handed back) half as much as survived the last one (at least
/// <see cref="MinBudget"/> bytes) since. Large buffers found dead by a collection are handed out again.
/// </summary>
internal static class LargeBuffers
{
    /// <summary>Arrays of at least this many floats (85,000 bytes) go to the large object heap.</summary>
    internal const int LargeObjectFloats = 85_000 / sizeof(float);

    /// <summary>The fewest bytes allocated between two collections, so small programs never pay for them.</summary>
    internal const long MinBudget = 256L << 20;

    private static readonly object s_lock = new();
    private static long s_allocatedAtCollection = GC.GetTotalAllocatedBytes();   // the process's allocation count after the last forced collection
    private static long s_recycledSinceCollection;                               // bytes handed out again from the pool since then
    private static long s_budget = MinBudget;                                    // bytes to hand out before the next one

    private static readonly Dictionary<int, Stack<float[]>> s_pool = [];         // dead buffers by length (lock s_pool)
    private static readonly ConditionalWeakTable<float[], Companion> s_companions = new();

    /// <summary>An array of <paramref name="length"/> floats: zeros, or (when <paramref name="zeroed"/> is false) whatever the memory held.</summary>
    public static float[] Allocate(int length, bool zeroed = true)
    {
        if (length < LargeObjectFloats) return zeroed ? new float[length] : GC.AllocateUninitializedArray<float>(length);
        CollectIfOverBudget();
        var buffer = TakeFromPool(length);
        if (buffer is null) buffer = zeroed ? new float[length] : GC.AllocateUninitializedArray<float>(length);
        else
        {
            Interlocked.Add(ref s_recycledSinceCollection, (long)length * sizeof(float));
            if (zeroed) Array.Clear(buffer);
        }
        s_companions.AddOrUpdate(buffer, new Companion(buffer));
        return buffer;
    }

    private static float[]? TakeFromPool(int length)
    {
        lock (s_pool) return s_pool.TryGetValue(length, out var stack) && stack.Count > 0 ? stack.Pop() : null;
    }

    /// <summary>Lives exactly as long as its buffer; when both are found dead, its finaliser pools the buffer.</summary>
    private sealed class Companion(float[] buffer)
    {
        ~Companion()
        {
            if (Environment.HasShutdownStarted) return;
            lock (s_pool)
            {
                if (!s_pool.TryGetValue(buffer.Length, out var stack)) s_pool[buffer.Length] = stack = new Stack<float[]>();
                stack.Push(buffer);
            }
        }
    }

    /// <summary>Runs a full blocking collection when the bytes allocated since the last one exceed the budget.</summary>
    private static void CollectIfOverBudget()
    {
        if (!OverBudget()) return;
        lock (s_lock)
        {
            if (!OverBudget()) return;                                                // another thread has just collected
            lock (s_pool) s_pool.Clear();                                             // not asked for in a whole round: let them go
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            GC.WaitForPendingFinalizers();                                            // the round's dead buffers are in the pool now
            var after = GC.GetGCMemoryInfo(GCKind.FullBlocking);
            Volatile.Write(ref s_budget, Math.Max(MinBudget, (after.HeapSizeBytes - after.FragmentedBytes) / 2));   // half the live data
            Volatile.Write(ref s_allocatedAtCollection, GC.GetTotalAllocatedBytes());
            Volatile.Write(ref s_recycledSinceCollection, 0);
        }
    }

    private static bool OverBudget() =>
        GC.GetTotalAllocatedBytes() - Volatile.Read(ref s_allocatedAtCollection) + Volatile.Read(ref s_recycledSinceCollection)
        >= Volatile.Read(ref s_budget);
}
