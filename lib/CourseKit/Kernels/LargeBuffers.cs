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
// ─────────────────────────────────────────────────────────────────────────────────────────────
namespace CourseKit.Kernels;

/// <summary>
/// Allocates the float buffers of tensors (activations, gradients) and keeps a training loop's memory
/// near one and a half times its live data: before a large buffer, a full collection runs if the process
/// has allocated half as much as survived the last one (at least <see cref="MinBudget"/> bytes) since.
/// </summary>
internal static class LargeBuffers
{
    /// <summary>Arrays of at least this many floats (85,000 bytes) go to the large object heap.</summary>
    internal const int LargeObjectFloats = 85_000 / sizeof(float);

    /// <summary>The fewest bytes allocated between two collections, so small programs never pay for them.</summary>
    internal const long MinBudget = 256L << 20;

    private static readonly object s_lock = new();
    private static long s_allocatedAtCollection = GC.GetTotalAllocatedBytes();   // the process's allocation count after the last forced collection
    private static long s_budget = MinBudget;                                    // bytes to allocate before the next one

    /// <summary>An array of <paramref name="length"/> floats: zeros, or (when <paramref name="zeroed"/> is false) whatever the memory held.</summary>
    public static float[] Allocate(int length, bool zeroed = true)
    {
        if (length >= LargeObjectFloats) CollectIfOverBudget();
        return zeroed ? new float[length] : GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Runs a full blocking collection when the bytes allocated since the last one exceed the budget.</summary>
    private static void CollectIfOverBudget()
    {
        if (!OverBudget()) return;
        lock (s_lock)
        {
            if (!OverBudget()) return;                                                // another thread has just collected
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            var after = GC.GetGCMemoryInfo(GCKind.FullBlocking);
            Volatile.Write(ref s_budget, Math.Max(MinBudget, (after.HeapSizeBytes - after.FragmentedBytes) / 2));   // half the live data
            Volatile.Write(ref s_allocatedAtCollection, GC.GetTotalAllocatedBytes());
        }
    }

    private static bool OverBudget() =>
        GC.GetTotalAllocatedBytes() - Volatile.Read(ref s_allocatedAtCollection) >= Volatile.Read(ref s_budget);
}
