using CourseKit.Kernels;

namespace CourseKit.Bench;

/// <summary>Throughput of <c>Gemm.Sgemm</c> on square matrices, GFLOP/s = 2n³ / time per call.</summary>
internal static class GemmBench
{
    /// <summary>C = A·B with random n×n matrices on at most <paramref name="threads"/> threads (passed per call; <see cref="Gemm.MaxThreads"/> is left alone).</summary>
    public static Windows.Result Run(int n, int threads, double warmupSeconds, double windowSeconds, int windows)
    {
        var options = Gemm.Options.Default with { Threads = threads };
        var rng = new Random(n);
        float[] a = RandomMatrix(rng, n * n), b = RandomMatrix(rng, n * n), c = new float[n * n];
        return Windows.Run(() => Gemm.Sgemm(options, false, false, n, n, n, 1f, a, n, b, n, 0f, c, n),
            2.0 * n * n * n / 1e9, warmupSeconds, windowSeconds, windows);
    }

    private static float[] RandomMatrix(Random rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
