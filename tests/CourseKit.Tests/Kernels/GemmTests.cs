using CourseKit.Kernels;

namespace CourseKit.Tests.Kernels;

/// <summary>
/// The fast <see cref="Gemm"/> kernel against the triple-loop <see cref="GemmReference"/>.
/// Matrices are slices of larger arrays whose unused cells (row padding when ld &gt; width, and
/// everything past the end of the slice) hold NaN, so any read outside the matrix shows up as NaN
/// in the result; cells of C outside the m×n block hold a sentinel that must survive.
/// </summary>
[Collection("Gemm settings")]
public class GemmTests
{
    private const float Sentinel = -12345.5f;

    // ── Correctness against the reference ──────────────────────────────────────────────────

    public static TheoryData<int, int, int> OddShapes => new()
    {
        { 1, 1, 1 }, { 1, 1, 7 }, { 1, 17, 1 }, { 5, 1, 3 }, { 7, 13, 5 }, { 6, 16, 8 }, { 5, 15, 9 },
        { 12, 32, 4 }, { 13, 33, 31 }, { 11, 31, 2 }, { 18, 48, 64 }, { 37, 61, 129 }, { 2, 100, 50 },
        { 100, 3, 50 }, { 64, 64, 64 }, { 97, 211, 257 }, { 130, 41, 300 },
    };

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void Fast_kernel_matches_the_triple_loop_on_odd_shapes(int m, int n, int k)
    {
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
                CheckAgainstReference(Gemm.Options.Default, transA, transB, m, n, k, 1f, 0f, padA: 0, padB: 0, padC: 0, seed: m * 7919 + n * 31 + k);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Every_transpose_combination_matches_the_triple_loop_with_sub_matrix_views(bool transA, bool transB)
    {
        foreach (var (m, n, k) in new[] { (7, 13, 5), (37, 61, 129), (50, 70, 300) })
            CheckAgainstReference(Gemm.Options.Default, transA, transB, m, n, k, 1f, 0f, padA: 3, padB: 5, padC: 2, seed: 42 + m);
    }

    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(1f, 1f)]
    [InlineData(-0.5f, 0f)]
    [InlineData(2.5f, -0.75f)]
    [InlineData(-1f, 2f)]
    [InlineData(0.125f, 1f)]
    public void Alpha_scales_the_product_and_beta_scales_the_old_C(float alpha, float beta)
    {
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 13, 5), (37, 61, 129), (25, 70, 600) })
            foreach (bool transA in new[] { false, true })
                CheckAgainstReference(Gemm.Options.Default, transA, !transA, m, n, k, alpha, beta, padA: 1, padB: 0, padC: 4, seed: 7 + k);
    }

    [Fact]
    public void Beta_zero_overwrites_C_even_when_it_holds_NaN()
    {
        var rng = new Random(3);
        int m = 29, n = 45, k = 300;
        float[] a = RandomArray(rng, m * k), b = RandomArray(rng, k * n);
        float[] c = Enumerable.Repeat(float.NaN, m * n).ToArray();
        float[] expected = new float[m * n];
        Gemm.Sgemm(false, false, m, n, k, 1.5f, a, k, b, n, 0f, c, n);
        GemmReference.Sgemm(false, false, m, n, k, 1.5f, a, k, b, n, 0f, expected, n);
        Assert.All(c, x => Assert.False(float.IsNaN(x)));
        AssertClose(expected, c, m, n, n, k, 1.5f, 0f, a, k, b, n, false, false, expected);
    }

    [Fact]
    public void Beta_one_accumulates_onto_C_across_several_k_slices()
    {
        // k spans three KC slices: the first applies beta, the later ones must add, not overwrite.
        var rng = new Random(5);
        int m = 19, n = 37, k = 2 * Gemm.KC + 77;
        float[] a = RandomArray(rng, m * k), b = RandomArray(rng, k * n), c0 = RandomArray(rng, m * n);
        float[] c = (float[])c0.Clone(), expected = (float[])c0.Clone();
        Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 1f, c, n);
        GemmReference.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 1f, expected, n);
        AssertClose(expected, c, m, n, n, k, 1f, 1f, a, k, b, n, false, false, c0);
    }

    [Fact]
    public void Alpha_zero_or_k_zero_only_scales_C_by_beta_and_never_reads_A_or_B()
    {
        float[] nanA = Enumerable.Repeat(float.NaN, 12).ToArray(), nanB = Enumerable.Repeat(float.NaN, 12).ToArray();
        float[] c = { 1, 2, 3, 4, 5, 6 };
        Gemm.Sgemm(false, false, 2, 3, 4, 0f, nanA, 4, nanB, 3, 2f, c, 3);
        Assert.Equal(new float[] { 2, 4, 6, 8, 10, 12 }, c);

        Gemm.Sgemm(false, false, 2, 3, 0, 1f, ReadOnlySpan<float>.Empty, 0, ReadOnlySpan<float>.Empty, 3, 0.5f, c, 3);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, c);

        float[] nanC = Enumerable.Repeat(float.NaN, 6).ToArray();
        Gemm.Sgemm(false, false, 2, 3, 0, 1f, ReadOnlySpan<float>.Empty, 0, ReadOnlySpan<float>.Empty, 3, 0f, nanC, 3);
        Assert.Equal(new float[6], nanC);
    }

    [Fact]
    public void Empty_m_or_n_leaves_C_untouched()
    {
        float[] c = { Sentinel, Sentinel };
        Gemm.Sgemm(false, false, 0, 2, 3, 1f, ReadOnlySpan<float>.Empty, 3, new float[6], 2, 0f, c, 2);
        Gemm.Sgemm(false, false, 2, 0, 3, 1f, new float[6], 3, ReadOnlySpan<float>.Empty, 0, 0f, c, 0);
        Assert.Equal(new[] { Sentinel, Sentinel }, c);
    }

    [Fact]
    public void A_problem_larger_than_one_cache_block_in_every_dimension_matches_the_triple_loop()
    {
        // Default blocking: m spans several MC blocks, n more than one NC panel, k several KC slices.
        int m = 2 * Gemm.MC + 13, n = Gemm.NC + 37, k = 2 * Gemm.KC + 11;
        CheckAgainstReference(Gemm.Options.Default, false, false, m, n, k, 1f, 0.5f, padA: 0, padB: 0, padC: 0, seed: 11, sampledRows: 9);
        CheckAgainstReference(Gemm.Options.Default, true, true, m, n, k, -1f, 0f, padA: 2, padB: 1, padC: 3, seed: 12, sampledRows: 9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Tiny_cache_blocks_exercise_every_blocking_loop_for_each_kernel(int kernel)
    {
        // Blocks far smaller than the matrices force many packed panels, slices and edge tiles.
        var options = Gemm.Options.Default with { KC = 7, MC = 12, NC = 32, Kernel = (Gemm.Kernel)kernel, Threads = 2, ParallelThreshold = 0 };
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
                CheckAgainstReference(options, transA, transB, 53, 101, 45, 0.75f, -0.5f, padA: 2, padB: 3, padC: 1, seed: kernel * 4 + (transA ? 2 : 0) + (transB ? 1 : 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Each_kernel_matches_the_triple_loop(int kernel)
    {
        var options = Gemm.Options.Default with { Kernel = (Gemm.Kernel)kernel };
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 13, 5), (37, 61, 129), (48, 96, 300), (100, 70, 520) })
            CheckAgainstReference(options, m % 2 == 0, k % 2 == 0, m, n, k, 1f, 0.25f, padA: 1, padB: 2, padC: 0, seed: 100 + kernel);
    }

    // ── Determinism ────────────────────────────────────────────────────────────────────────

    [Fact]
    public void Thread_count_does_not_change_a_single_bit()
    {
        int saved = Gemm.MaxThreads;
        try
        {
            foreach (var (m, n, k, transA, transB) in new[] { (300, 200, 700, false, false), (70, 513, 260, true, false), (515, 90, 131, false, true), (257, 259, 600, true, true) })
            {
                var rng = new Random(m + n + k);
                float[] a = RandomArray(rng, m * k), b = RandomArray(rng, k * n), c0 = RandomArray(rng, m * n);
                float[] run(int threads)
                {
                    Gemm.MaxThreads = threads;
                    float[] c = (float[])c0.Clone();
                    Gemm.Sgemm(transA, transB, m, n, k, 0.5f, a, transA ? m : k, b, transB ? k : n, 1.5f, c, n);
                    return c;
                }
                float[] one = run(1), two = run(2), three = run(3);
                Assert.Equal(Bits(one), Bits(two));
                Assert.Equal(Bits(one), Bits(three));
            }
        }
        finally
        {
            Gemm.MaxThreads = saved;
        }
    }

    [Theory]
    [InlineData(131, 147, 333)]   // 32-column groups, last group of 19 columns
    [InlineData(131, 41, 300)]    // last group of 9 columns (12×16 tiles)
    [InlineData(29, 16, 270)]
    [InlineData(12, 9, 600)]
    [InlineData(300, 7, 40)]      // split over rows
    public void Strip_boundaries_and_kernel_width_do_not_change_a_single_bit(int m, int n, int k)
    {
        // Same KC (so the same order of accumulation), but different threads, panel sizes and kernels.
        var rng = new Random(m * n + k);
        float[] a = RandomArray(rng, m * k), b = RandomArray(rng, k * n), c0 = RandomArray(rng, m * n);
        float[] run(Gemm.Options o)
        {
            float[] c = (float[])c0.Clone();
            Gemm.Sgemm(o, false, true, m, n, k, 1.25f, a, k, b, k, -0.5f, c, n);
            return c;
        }
        var baseline = Gemm.Options.Default with { Threads = 1 };
        int[] expected = Bits(run(baseline));
        foreach (var o in new[]
                 {
                     baseline with { Threads = 2, ParallelThreshold = 0 },
                     baseline with { Threads = 5, ParallelThreshold = 0, MC = 18, NC = 48 },
                     baseline with { Kernel = Gemm.Kernel.Avx2 },
                     baseline with { Kernel = Gemm.Kernel.Avx2, Threads = 3, ParallelThreshold = 0 },
                     baseline with { Kernel = Gemm.Kernel.Avx512, Threads = 2, ParallelThreshold = 0, MC = 24, NC = 16 },
                 })
            Assert.Equal(expected, Bits(run(o)));
    }

    [Fact]
    public void A_warm_call_allocates_nothing_on_the_calling_thread()
    {
        var rng = new Random(4);
        int m = 70, n = 90, k = 110;
        float[] a = RandomArray(rng, m * k), b = RandomArray(rng, k * n), c = new float[m * n];
        foreach (int threads in new[] { 1, 2 })
        {
            var options = Gemm.Options.Default with { Threads = threads, ParallelThreshold = 0 };
            for (int warm = 0; warm < 3; warm++)
                Gemm.Sgemm(options, false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Gemm.Sgemm(options, false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void Calls_from_many_threads_at_once_all_get_the_right_answer()
    {
        // Only one call at a time owns the worker pool; the others must run on their own thread.
        int m = 96, n = 130, k = 150;
        var rng = new Random(8);
        float[] a = RandomArray(rng, m * k), b = RandomArray(rng, k * n);
        float[] expected = new float[m * n];
        Gemm.Sgemm(Gemm.Options.Default with { Threads = 1 }, false, false, m, n, k, 1f, a, k, b, n, 0f, expected, n);
        var options = Gemm.Options.Default with { Threads = 2, ParallelThreshold = 0 };
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            float[] c = new float[m * n];
            for (int rep = 0; rep < 20; rep++)
            {
                Gemm.Sgemm(options, false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
                Assert.Equal(Bits(expected), Bits(c));
            }
        });
    }

    [Fact]
    public void MaxThreads_below_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MaxThreads = 0);
        Assert.True(Gemm.MaxThreads >= 1);
    }

    // ── Argument validation ────────────────────────────────────────────────────────────────

    [Theory]
    [InlineData(-1, 2, 2, "m")]
    [InlineData(2, -1, 2, "n")]
    [InlineData(2, 2, -3, "k")]
    public void Negative_sizes_are_rejected(int m, int n, int k, string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, m, n, k, 1f, new float[16], 4, new float[16], 4, 0f, new float[16], 4));
        Assert.Equal(name, ex.ParamName);
        Assert.Contains("non-negative", ex.Message);
        Assert.Throws<ArgumentException>(() => GemmReference.Sgemm(false, false, m, n, k, 1f, new float[16], 4, new float[16], 4, 0f, new float[16], 4));
    }

    [Theory]
    [InlineData(false, false, 2, 3, 3, "lda")] // A is 3×4: lda must be ≥ 4
    [InlineData(true, false, 2, 3, 3, "lda")]  // A stored transposed is 4×3: lda must be ≥ 3
    [InlineData(false, false, 4, 2, 3, "ldb")] // B is 4×3: ldb must be ≥ 3
    [InlineData(false, true, 4, 3, 3, "ldb")]  // B stored transposed is 3×4: ldb must be ≥ 4
    [InlineData(false, false, 4, 3, 2, "ldc")] // C is 3×3: ldc must be ≥ 3
    public void A_leading_dimension_narrower_than_the_row_is_rejected(bool transA, bool transB, int lda, int ldb, int ldc, string name)
    {
        // m = 3, n = 3, k = 4.
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(transA, transB, 3, 3, 4, 1f, new float[64], lda, new float[64], ldb, 0f, new float[64], ldc));
        Assert.Equal(name, ex.ParamName);
        Assert.Contains("row width", ex.Message);
    }

    [Theory]
    [InlineData(false, false, 11, 12, 9, "a")]  // A 3×4 needs 12
    [InlineData(true, false, 11, 12, 9, "a")]   // A stored 4×3 needs 12
    [InlineData(false, false, 12, 11, 9, "b")]  // B 4×3 needs 12
    [InlineData(false, true, 12, 11, 9, "b")]   // B stored 3×4 needs 12
    [InlineData(false, false, 12, 12, 8, "c")]  // C 3×3 needs 9
    public void A_span_too_short_for_its_shape_is_rejected(bool transA, bool transB, int lenA, int lenB, int lenC, string name)
    {
        int lda = transA ? 3 : 4, ldb = transB ? 4 : 3;
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(transA, transB, 3, 3, 4, 1f, new float[lenA], lda, new float[lenB], ldb, 0f, new float[lenC], 3));
        Assert.Equal(name, ex.ParamName);
        Assert.Contains("too short", ex.Message);
    }

    [Fact]
    public void A_sub_matrix_view_needs_no_padding_after_its_last_row()
    {
        // 2×3 view with ld 5: the last row ends at index 5 + 3 = 8, so 8 elements are enough.
        float[] a = { 1, 2, 3, 99, 99, 4, 5, 6 };
        float[] b = { 1, 0, 0, 1, 1, 1 };                      // 3×2
        float[] c = new float[4];
        Gemm.Sgemm(false, false, 2, 2, 3, 1f, a, 5, b, 2, 0f, c, 2);
        Assert.Equal(new float[] { 4, 5, 10, 11 }, c);
    }

    // ── Helpers ────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Runs fast and reference Sgemm on the same random data and compares. Stored matrices get
    /// <paramref name="padA"/>… extra columns (NaN) and NaN after their end; C's extra cells hold a sentinel.
    /// With <paramref name="sampledRows"/> &gt; 0 only that many rows of C are checked (big problems).
    /// </summary>
    private static void CheckAgainstReference(Gemm.Options options, bool transA, bool transB, int m, int n, int k,
        float alpha, float beta, int padA, int padB, int padC, int seed, int sampledRows = 0)
    {
        var rng = new Random(seed);
        int rowsA = transA ? k : m, colsA = transA ? m : k, rowsB = transB ? n : k, colsB = transB ? k : n;
        int lda = colsA + padA, ldb = colsB + padB, ldc = n + padC;
        float[] a = Padded(rng, rowsA, colsA, lda, float.NaN, out int lenA);
        float[] b = Padded(rng, rowsB, colsB, ldb, float.NaN, out int lenB);
        float[] c0 = Padded(rng, m, n, ldc, Sentinel, out int lenC);
        float[] c = (float[])c0.Clone();

        Gemm.Sgemm(options, transA, transB, m, n, k, alpha, a.AsSpan(0, lenA), lda, b.AsSpan(0, lenB), ldb, beta, c.AsSpan(0, lenC), ldc);

        // Cells outside the m×n block of C are untouched.
        for (int idx = 0; idx < c.Length; idx++)
        {
            bool inside = idx < lenC && idx % ldc < n;
            if (!inside) Assert.Equal(Sentinel, c[idx]);
        }

        int[] rows = sampledRows > 0
            ? Enumerable.Range(0, sampledRows).Select(s => (int)((long)s * (m - 1) / Math.Max(1, sampledRows - 1))).Distinct().ToArray()
            : Enumerable.Range(0, m).ToArray();
        foreach (int i in rows)
        {
            // Reference for row i alone: op(A) row i as a 1×k matrix.
            float[] aRow = new float[k];
            for (int p = 0; p < k; p++) aRow[p] = transA ? a[p * lda + i] : a[i * lda + p];
            float[] expected = c0.AsSpan(i * ldc, n).ToArray();
            GemmReference.Sgemm(false, transB, 1, n, k, alpha, aRow, k, b.AsSpan(0, lenB), ldb, beta, expected, n);
            AssertClose(expected, c.AsSpan(i * ldc, n).ToArray(), 1, n, n, k, alpha, beta, aRow, k, b.AsSpan(0, lenB).ToArray(), ldb, false, transB,
                c0.AsSpan(i * ldc, n).ToArray(), $"row {i} of {m}×{n}×{k} (transA={transA}, transB={transB}, alpha={alpha}, beta={beta}, {options})");
        }
    }

    /// <summary>
    /// |fast − exact| ≤ 1e-6·(k + 4)·(|alpha|·Σ|a||b| + |beta|·|c₀|): a relative bound that grows with k
    /// (float rounding grows like k·2⁻²⁴ in the worst case), ~1e-4 at k = 100.
    /// </summary>
    private static void AssertClose(float[] expected, float[] actual, int m, int n, int ldc, int k, float alpha, float beta,
        float[] a, int lda, float[] b, int ldb, bool transA, bool transB, float[] c0, string what = "")
    {
        float[] absA = a.Select(MathF.Abs).ToArray(), absB = b.Select(MathF.Abs).ToArray(), scale = c0.Select(MathF.Abs).ToArray();
        GemmReference.Sgemm(transA, transB, m, n, k, MathF.Abs(alpha), absA, lda, absB, ldb, MathF.Abs(beta), scale, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                int idx = i * ldc + j;
                double tol = 1e-6 * (k + 4) * scale[idx] + 1e-30;
                double err = Math.Abs((double)actual[idx] - expected[idx]);
                if (!(err <= tol))
                    Assert.Fail($"C[{i},{j}] = {actual[idx]:R}, expected {expected[idx]:R} (error {err:G3} > tolerance {tol:G3}) {what}");
            }
    }

    /// <summary>rows×cols random values in [-1, 1) with row stride ld; pad cells and 16 cells past the end hold <paramref name="fill"/>.</summary>
    private static float[] Padded(Random rng, int rows, int cols, int ld, float fill, out int length)
    {
        length = rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
        var x = new float[length + 16];
        Array.Fill(x, fill);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                x[i * ld + j] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    private static float[] RandomArray(Random rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    private static int[] Bits(float[] x) => x.Select(BitConverter.SingleToInt32Bits).ToArray();
}
