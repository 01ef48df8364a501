namespace CourseKit.Kernels;

/// <summary>
/// Splits a long element-wise loop into contiguous chunks run on <see cref="Gemm.MaxThreads"/> threads.
/// Element-wise operations are limited by memory traffic, and one core cannot use all of it.
/// Each element is computed the same way whatever the split, so results do not depend on the thread count.
/// </summary>
internal static class ParallelChunks
{
    /// <summary>Below this many elements per chunk the threads cost more than they save.</summary>
    private const int MinChunk = 1 << 16;

    /// <summary>Calls <paramref name="body"/>(start, count) over chunks covering 0..length−1.</summary>
    public static void For(int length, Action<int, int> body)
    {
        int parts = Math.Min(Gemm.MaxThreads, length / MinChunk);
        if (parts <= 1) { body(0, length); return; }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
        {
            int start = (int)((long)length * p / parts), end = (int)((long)length * (p + 1) / parts);
            body(start, end - start);
        });
    }
}
