using System.Diagnostics;
using CourseKit.Kernels;

namespace CourseKit.Bench;

/// <summary>Throughput of <c>Gemm.Sgemm</c> on square matrices.</summary>
internal static class GemmBench
{
    /// <summary>
    /// For each n: C = A·B with random n×n matrices, using at most <paramref name="threads"/> threads
    /// (passed per call: <see cref="Gemm.MaxThreads"/> is left alone).
    /// Runs a warm-up window, then <see cref="Windows"/> timed windows of about
    /// <paramref name="windowSeconds"/> each, and reports the median rate, GFLOP/s = 2n³ / time per call.
    /// </summary>
    public static IReadOnlyList<(int n, int threads, double gflops)> Run(int[] sizes, int threads, double windowSeconds)
        => Run(sizes, Gemm.Options.Default with { Threads = threads }, windowSeconds);

    /// <summary>As <see cref="Run(int[], int, double)"/> with explicit blocking, kernel and thread count (for tuning).</summary>
    internal static IReadOnlyList<(int n, int threads, double gflops)> Run(int[] sizes, Gemm.Options options, double windowSeconds)
    {
        var results = new List<(int, int, double)>();
        foreach (int n in sizes)
        {
            var rng = new Random(n);
            float[] a = RandomMatrix(rng, n * n), b = RandomMatrix(rng, n * n), c = new float[n * n];
            void Step() => Gemm.Sgemm(options, false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);

            TimedWindow(Step, windowSeconds);                         // warm-up: JIT, buffers, caches
            var rates = new double[Windows];
            for (int w = 0; w < Windows; w++)
            {
                (int calls, double seconds) = TimedWindow(Step, windowSeconds);
                rates[w] = 2.0 * n * n * n * calls / seconds / 1e9;
            }
            Array.Sort(rates);
            results.Add((n, options.Threads, rates[Windows / 2]));
        }
        return results;
    }

    /// <summary>Number of timed windows per size (the median is reported).</summary>
    public const int Windows = 5;

    /// <summary>Calls <paramref name="step"/> until at least <paramref name="seconds"/> have passed (at least once).</summary>
    private static (int calls, double seconds) TimedWindow(Action step, double seconds)
    {
        var sw = Stopwatch.StartNew();
        int calls = 0;
        do { step(); calls++; } while (sw.Elapsed.TotalSeconds < seconds);
        return (calls, sw.Elapsed.TotalSeconds);
    }

    private static float[] RandomMatrix(Random rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
