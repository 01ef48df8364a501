// ─────────────────────────────────────────────────────────────────────────────────────────────
// Winograd4x4: a stride-1 3×3 convolution with Winograd's minimal filtering F(4×4, 3×3).
//
// Direct convolution spends 9 multiply-adds per input channel on every output pixel. Winograd's trick
// computes a 4×4 block of outputs (a "tile") from the 6×6 input patch d under it with 36 multiplications
// per channel instead of 144 (64 with the smaller F(2×2, 3×3) of WinogradWeightGradient.cs), by moving
// filter and patch into a transformed space:
//
//     y (4×4) = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A                ⊙: element-wise product of two 6×6 matrices
//
// The matrices come from interpolation points (Lavin & Gray, 2016): column k of Aᵀ is (1, a, a², a³) for
// point a = a_k, row k of G is (1, a, a²)/Π_{l≠k}(a − a_l), and row k of Bᵀ holds the coefficients of
// Π_{l≠k}(x − a_l); the point ∞ adds the last row or column. The usual points 0, ±1, ±2 give errors 3×
// larger than 0, 1, −1, ½, −2 (Barabasz et al., 2020; measured here too), so these are used:
//
//     Bᵀ = ⎡1 −³⁄₂ −2   ³⁄₂ 1   0⎤    G = ⎡ 1      0      0   ⎤    Aᵀ = ⎡1  1  1  1   1  0⎤
//          ⎢0  −1   ½   ⁵⁄₂ 1   0⎥        ⎢ ⅓      ⅓      ⅓   ⎥         ⎢0  1 −1  ½  −2  0⎥
//          ⎢0   1  −⁵⁄₂  ½  1   0⎥        ⎢−⅓      ⅓     −⅓   ⎥         ⎢0  1  1  ¼   4  0⎥
//          ⎢0  −2  −1    2  1   0⎥        ⎢−¹⁶⁄₁₅ −⁸⁄₁₅ −⁴⁄₁₅ ⎥         ⎣0  1 −1  ⅛  −8  1⎦
//          ⎢0   ½  −1   −½  1   0⎥        ⎢ ¹⁄₁₅  −²⁄₁₅  ⁴⁄₁₅ ⎥
//          ⎣0   1  −³⁄₂ −2  ³⁄₂ 1⎦        ⎣ 0      0      1   ⎦
//
// Because every transform is linear, the sum over input channels can be taken in the transformed space:
// with U[ξ][o][c] = (G g_oc Gᵀ)[ξ] and V[ξ][c][t] = (Bᵀ d_ct B)[ξ] for the 36 positions ξ of a 6×6 matrix
// and every tile t,
//
//     M[ξ][o][t] = Σ_c U[ξ][o][c] · V[ξ][c][t]             36 independent matrix products
//     y_ot       = Aᵀ M[·][o][t] A  (+ bias, ReLU)
//
// so 4× fewer multiply-adds than a direct convolution remain, all in 36 matrix products (1.78× fewer than
// F(2×2)); the price is heavier transforms (6×6 for every 4×4 outputs, with multiplications by ½, 2, 5⁄2, 8 …).
//
//   filters: U = G g Gᵀ once per call, 8 filters at a time in double (rounded once), laid out
//     [group of 8 filters][ξ][c][8]
//   for each image range (one per thread), in blocks of images (about 2¹⁸ / (36·C) tiles, so V stays in
//   L2; a whole number of 48-tile chunks where possible):
//     input transform, one channel at a time:
//       each image's channel plane is copied into a zero-bordered plane (CopyImage); each of
//       its rows is split into the 6 column phases a tile sees (columns 4j, 4j+1, …, 4j+5 for tiles
//       j = 0, 1, …: one two-vector permute per phase for 8 tiles) and stored for every tile row that
//       uses it, so that q[phase][row of the patch][t] holds patch element d[row][phase] of tile t, with
//       t = (image, tile row, tile column) the tile's index in the block. Rows of tiles of small images
//       thus follow each other in q without gaps (a store of 8 tiles that runs past its tile row is
//       overwritten by the next one: no masks).
//       Bᵀ d B for 16 consecutive tiles of q at once (Bᵀ over the patch rows, then B over the phases),
//       stored at V[ξ][c][t].
//     for each 48 tiles t0 … t0+47 and each group of 8 filters:
//       for each ξ: Product — 24 accumulators (8 filters × 3 vectors of 16 tiles), per channel 3 loads
//         of V, 8 broadcasts of U and 24 fused multiply-adds, as in DirectConv  ── most of the time;
//         16 channels at a time, each block's sum added to M (see SumBlock)
//       output transform, 16 tiles at a time: Aᵀ m A, bias, ReLU; the four output columns of the tiles
//         interleaved back into pixel order, and only the pixels inside the output stored.
//   U and each thread's scratch memory (q, V, M, the bordered plane) come from the array pool, used from a
//   64-byte boundary so that every vector load and store of U, V and M touches one cache line, not two.
//
// Each output is computed from its own tile's values in a fixed order (channel blocks in order, then the
// fixed transform), so results are bit-identical for any thread count and blocking. The transforms'
// cancellations magnify rounding errors more than F(2×2)'s; measured against a double-precision sum
// (N(0, 1) data and weights, 1–256 channels, 18 thousand to 4.7 million outputs each):
// |error| ≤ 2e-5·√C·(1 + |y|) (worst 1.8e-5 at C = 2, ≤ 1.2e-5 from C = 8 on), or ≤ 1e-5 of the outputs' spread
// (their rms, 3√C); F(2×2) measured ≤ 3.3e-6·√C·(1 + |y|), DirectConv ≤ 5e-6·√C·(1 + |y|). With the points
// 0, ±1, ±2 and unsplit channel sums it was 4e-5·√C·(1 + |y|) at 256 channels.
// AVX-512 only; see Suits for where it beats DirectConv and ImplicitGemmConv.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Kernels;

/// <summary>Stride-1 3×3 convolution by Winograd's F(4×4, 3×3) minimal filtering (AVX-512).</summary>
internal static unsafe class Winograd4x4
{
    /// <summary>Tiles per register tile of the matrix products: 3 vectors of 16.</summary>
    private const int Chunk = 48;

    /// <summary>
    /// Channels summed at a time in the products before their sums are added: a float sum's rounding error grows with
    /// the number of terms, and F(4×4)'s output transform magnifies it, so long channel sums are split.
    /// </summary>
    private const int SumBlock = 16;

    /// <summary>The transformed input of a block of images is kept near this many floats (1 MB), half of L2.</summary>
    private const int BlockFloats = 1 << 18;

    /// <summary>
    /// 3×3 kernels, stride 1, no dilation, on a CPU with AVX-512, with at least 16 input channels and 16 filters and
    /// C·O ≥ 512. Measured (batch 64, 2 cores, kernel against kernel, best of 10 alternating rounds): 1.6–2× faster than
    /// the kernel used before (Winograd's F(2×2, 3×3), or DirectConv at 32→32) on CIFAR's 32→32 @ 32×32, 32→64 and 64→64 @ 16×16 and
    /// 64→128 @ 8×8 and on their input gradients 64→32 @ 16×16 and 128→64 @ 8×8; 1.4–1.55× with 16→32, 32→16, 16→64 and
    /// 64→16 channels; 1.5–2× at 128→128 @ 8×8 and 256→256 @ 4×4. Not with 16→16 (0.83–1.3×, depending on the size) nor
    /// with 3 or 8 channels or filters (0.67–1.05×: the transforms, which cost in proportion to C + O, eat the saving).
    /// </summary>
    public static bool Suits(int channels, int filters, in WindowGeometry g) =>
        Avx512F.IsSupported && g.KernelH == 3 && g.KernelW == 3 && g.StrideH == 1 && g.StrideW == 1
        && g.DilationH == 1 && g.DilationW == 1 && channels >= 16 && filters >= 16 && channels * filters >= 512;

    /// <summary>
    /// y (N, O, outH, outW) = act(b + w ⊛ x) for x (N, C, H, W) and w (O, C, 3, 3), stride 1; y is overwritten.
    /// </summary>
    public static void Forward(float[] x, int batch, int channels, in WindowGeometry g, float[] w, int filters, float[]? bias,
        float[] y, bool relu, int threads)
    {
        int outH = g.OutHeight, outW = g.OutWidth, tilesH = (outH + 3) / 4, tilesW = (outW + 3) / 4, perImage = tilesH * tilesW;
        int paddedH = 4 * tilesH + 2, paddedW = (tilesW + 7) / 8 * 32 + 4;            // phase loads reach 4 columns past 8 tiles
        int groups = (filters + 7) / 8, inputArea = g.InputArea, imageSize = channels * inputArea;
        int blockImages = Math.Clamp(BlockFloats / (36 * channels * perImage), 1, Math.Max(1, batch));
        int whole = Chunk / Gcd(Chunk, perImage);                                      // images that fill whole chunks of 48
        if (blockImages >= whole) blockImages -= blockImages % whole;
        int stride = (blockImages * perImage + Chunk - 1) / Chunk * Chunk + 16;       // V row length: chunks and the spill of a last vector
        int plane = channels * stride + 32;                // from one ξ to the next; the 32 keeps the 36 planes off one 4 KB alias
        int qStride = (blockImages * perImage + 31) / 16 * 16;   // q: the tiles of a block and the spill of 8- and 16-tile vectors, in whole lines
        long work = (long)batch * filters * channels * 9 * outH * outW;
        int parts = threads <= 1 || batch < 2 || work < 1 << 18 ? 1 : Math.Min(threads, batch);
        // Pooled buffers (no garbage to collect, and pages already touched), used from their first 64-byte boundary so
        // that the vector loads and stores of U, V and M each touch one cache line, not two.
        var packed = ArrayPool<float>.Shared.Rent(groups * 36 * channels * 8 + 16);
        var packedBias = new float[groups * 8];
        var geometry = g;
        void Range(int part, float* pu)
        {
            int first = (int)((long)batch * part / parts), end = (int)((long)batch * (part + 1) / parts);
            int qSize = 36 * qStride, vSize = 36 * plane, mSize = 36 * 8 * Chunk, paddedSize = paddedH * paddedW;
            var scratch = ArrayPool<float>.Shared.Rent(qSize + vSize + mSize + paddedSize + 16);  // q, V, M, the bordered plane
            Run* runs = stackalloc Run[3 * 16];                                                // where each vector's tiles go
            int* runCounts = stackalloc int[3];
            try
            {
                fixed (float* px = x, pb = packedBias, py = y, start = scratch)
                {
                    float* pq = Aligned(start), pv = pq + qSize, pm = pv + vSize, pp = pm + mSize;
                    new Span<float>(pq, qSize).Clear();                                            // finite values past the tiles
                    new Span<float>(pp, paddedSize).Clear();                                       // the zero border, for all planes
                    for (int n0 = first; n0 < end; n0 += blockImages)
                    {
                        int images = Math.Min(blockImages, end - n0), tiles = images * perImage;
                        for (int xi = 0; xi < 36; xi++)                                    // stale values past the tiles: keep them finite
                            for (int c = 0; c < channels; c++)
                                new Span<float>(pv + (nint)xi * plane + c * stride + tiles, stride - tiles).Clear();
                        for (int c = 0; c < channels; c++)
                        {
                            for (int i = 0; i < images; i++)
                            {
                                CopyImage(px + (nint)(n0 + i) * imageSize + (nint)c * inputArea, 1, geometry, pp, paddedH, paddedW);
                                SplitPhases(pp, paddedH, paddedW, tilesH, tilesW, pq + i * perImage, qStride);
                            }
                            TransformInput(pq, qStride, tiles, pv + (nint)c * stride, plane);
                        }
                        float* yBlock = py + (nint)n0 * filters * outH * outW;
                        for (int t0 = 0; t0 < tiles; t0 += Chunk)
                        {
                            int vectors = Math.Min(3, (tiles - t0 + 15) / 16);                     // of 16 tiles, holding real tiles
                            for (int s = 0; s < vectors; s++)
                                runCounts[s] = FindRuns(t0 + 16 * s, Math.Min(16, tiles - t0 - 16 * s), filters, outH, outW, tilesW, perImage, runs + 16 * s);
                            for (int group = 0; group < groups; group++)
                            {
                                float* u = pu + (nint)group * 36 * channels * 8;
                                for (int xi = 0; xi < 36; xi++)
                                    for (int c0 = 0; c0 < channels; c0 += SumBlock)                        // Σ_c in blocks, for accuracy
                                        Product(u + (xi * channels + c0) * 8, pv + (nint)xi * plane + (nint)c0 * stride + t0,
                                            Math.Min(SumBlock, channels - c0), stride, pm + xi * 8 * Chunk, add: c0 > 0);
                                for (int s = 0; s < vectors; s++)
                                    TransformOutput(pm + 16 * s, pb + group * 8, Math.Min(8, filters - group * 8), relu,
                                        yBlock + (nint)group * 8 * outH * outW, outH * outW, outW, runs + 16 * s, runCounts[s]);
                            }
                        }
                    }
                }
            }
            finally { ArrayPool<float>.Shared.Return(scratch); }
        }
        try
        {
            fixed (float* start = packed)
            {
                float* pu = Aligned(start);
                nint u = (nint)pu;                                                             // for the lambda, which cannot take a pointer
                TransformFilters(w, filters, channels, bias, pu, packedBias, parts);
                if (parts == 1) Range(0, pu);
                else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part => Range(part, (float*)u));
            }
        }
        finally { ArrayPool<float>.Shared.Return(packed); }
    }

    /// <summary>The first 64-byte boundary (cache line) at or after <paramref name="p"/>.</summary>
    private static float* Aligned(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// <summary>The greatest common divisor of two positive numbers.</summary>
    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>
    /// U = G g Gᵀ for every filter g = w[o, c] into <paramref name="u"/> as [group of 8 filters][ξ][c][8] (zeros past the
    /// last filter), and the bias into <paramref name="packedBias"/> as [group][8]; groups are shared among up to
    /// <paramref name="threads"/> threads.
    /// </summary>
    private static void TransformFilters(float[] w, int filters, int channels, float[]? bias, float* u, float[] packedBias, int threads)
    {
        int groups = (filters + 7) / 8, parts = Math.Min(threads, groups);
        for (int o = 0; o < filters && bias is not null; o++) packedBias[o] = bias[o];
        nint at = (nint)u;                                                                    // for the lambda, which cannot take a pointer
        if (parts <= 1) TransformGroups(w, filters, channels, 0, groups, u);
        else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts },
            part => TransformGroups(w, filters, channels, groups * part / parts, groups * (part + 1) / parts, (float*)at));
    }

    /// <summary>
    /// U of the groups of 8 filters <paramref name="first"/> … <paramref name="end"/> − 1 (see <see cref="TransformFilters"/>).
    /// The 8 filters of a group are transformed together, one double per lane (G's thirds and fifteenths are not exact
    /// in float, so U is rounded only once), 8 channels at a time so that U is written in whole cache lines.
    /// </summary>
    private static void TransformGroups(float[] w, int filters, int channels, int first, int end, float* pu)
    {
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var offsets = lanes * (channels * 9);                                                // from filter f's w[f, c] to the next filter's
        float* block = stackalloc float[36 * 8 * 8];                                          // U[ξ][c][8] of 8 channels
        fixed (float* pw = w)
            for (int group = first; group < end; group++)
            {
                var real = Vector256.LessThan(lanes, Vector256.Create(filters - group * 8)).AsSingle();   // lanes of existing filters
                for (int c0 = 0; c0 < channels; c0 += 8)
                {
                    int count = Math.Min(8, channels - c0);
                    for (int c = 0; c < count; c++)
                    {
                        float* g = pw + ((nint)group * 8 * channels + c0 + c) * 9;
                        // G times the 3 columns of g (G g, 6 × 3), then (G g) times Gᵀ row by row: U[ξ = 6k + l].
                        var (k00, k10, k20, k30, k40, k50) = TimesG(Tap(g, 0, offsets, real), Tap(g, 3, offsets, real), Tap(g, 6, offsets, real));
                        var (k01, k11, k21, k31, k41, k51) = TimesG(Tap(g, 1, offsets, real), Tap(g, 4, offsets, real), Tap(g, 7, offsets, real));
                        var (k02, k12, k22, k32, k42, k52) = TimesG(Tap(g, 2, offsets, real), Tap(g, 5, offsets, real), Tap(g, 8, offsets, real));
                        float* to = block + c * 8;
                        StoreTimesG(to, 64, k00, k01, k02);
                        StoreTimesG(to + 6 * 64, 64, k10, k11, k12);
                        StoreTimesG(to + 12 * 64, 64, k20, k21, k22);
                        StoreTimesG(to + 18 * 64, 64, k30, k31, k32);
                        StoreTimesG(to + 24 * 64, 64, k40, k41, k42);
                        StoreTimesG(to + 30 * 64, 64, k50, k51, k52);
                    }
                    for (int xi = 0; xi < 36; xi++)                                              // whole cache lines, in U's order
                        new ReadOnlySpan<float>(block + xi * 64, count * 8).CopyTo(new Span<float>(pu + (((nint)group * 36 + xi) * channels + c0) * 8, count * 8));
                }
            }
    }

    /// <summary>Tap <paramref name="tap"/> of the 8 filters' kernels from <paramref name="g"/> (zero in lanes past the last filter), in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Tap(float* g, int tap, Vector256<int> offsets, Vector256<float> real) =>
        Avx512F.ConvertToVector512Double(Avx2.GatherMaskVector256(Vector256<float>.Zero, g + tap, offsets, real, 4));

    /// <summary>One row (h0, h1, h2) of G g times Gᵀ: 6 values of U, stored as floats <paramref name="step"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTimesG(float* to, nint step, Vector512<double> h0, Vector512<double> h1, Vector512<double> h2)
    {
        var (r0, r1, r2, r3, r4, r5) = TimesG(h0, h1, h2);
        Vector256.Store(Avx512F.ConvertToVector256Single(r0), to); Vector256.Store(Avx512F.ConvertToVector256Single(r1), to + step);
        Vector256.Store(Avx512F.ConvertToVector256Single(r2), to + 2 * step); Vector256.Store(Avx512F.ConvertToVector256Single(r3), to + 3 * step);
        Vector256.Store(Avx512F.ConvertToVector256Single(r4), to + 4 * step); Vector256.Store(Avx512F.ConvertToVector256Single(r5), to + 5 * step);
    }

    /// <summary>G times 3 values: its 6 rows (g0, (g0 + g1 + g2)/3, −(g0 − g1 + g2)/3, −16/15·(g0 + ½g1 + ¼g2), (g0 − 2g1 + 4g2)/15, g2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<double>, Vector512<double>, Vector512<double>, Vector512<double>, Vector512<double>, Vector512<double>) TimesG(
        Vector512<double> g0, Vector512<double> g1, Vector512<double> g2)
    {
        Vector512<double> third = Vector512.Create(1.0 / 3), fifteenth = Vector512.Create(1.0 / 15);
        return (g0, (g0 + g1 + g2) * third, (g1 - g0 - g2) * third, (g0 + g1 * 0.5 + g2 * 0.25) * (-16.0 / 15),
            (g0 - g1 * 2 + g2 * 4) * fifteenth, g2);
    }

    /// <summary>
    /// Splits the rows of one zero-bordered plane (paddedH, paddedW) into the column phases of its tiles:
    /// q[(6·phase + r)·qStride + tileRow·tilesW + tileColumn] = plane[4·tileRow + r][4·tileColumn + phase] for
    /// phase, r = 0 … 5. Up to 7 values past the plane's last tile in each of the 36 rows of q are overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SplitPhases(float* padded, int paddedH, int paddedW, int tilesH, int tilesW, float* q, int qStride)
    {
        var p0 = Vector512.Create(0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0);   // lanes 0 … 7: phase k of 8 tiles
        var p1 = p0 + Vector512<int>.One;
        var p2 = p1 + Vector512<int>.One;
        var p3 = p2 + Vector512<int>.One;
        for (int row = 0; row < paddedH; row++)
        {
            // The row is patch row r = row mod 4 of tile row row / 4, and, for r < 2, also patch row r + 4 of the tile row above.
            int below = row / 4, r = row % 4;
            float* to = below < tilesH ? q + (nint)r * qStride + below * tilesW : null;
            float* toAbove = r < 2 && below > 0 ? q + (nint)(r + 4) * qStride + (below - 1) * tilesW : null;
            for (int tj = 0; tj < tilesW; tj += 8)
            {
                float* p = padded + (nint)row * paddedW + 4 * tj;
                Vector512<float> a = Vector512.Load(p), b = Vector512.Load(p + 16), a4 = Vector512.Load(p + 4), b4 = Vector512.Load(p + 20);
                Vector256<float> f0 = Avx512F.PermuteVar16x32x2(a, p0, b).GetLower(), f1 = Avx512F.PermuteVar16x32x2(a, p1, b).GetLower();
                Vector256<float> f2 = Avx512F.PermuteVar16x32x2(a, p2, b).GetLower(), f3 = Avx512F.PermuteVar16x32x2(a, p3, b).GetLower();
                Vector256<float> f4 = Avx512F.PermuteVar16x32x2(a4, p0, b4).GetLower(), f5 = Avx512F.PermuteVar16x32x2(a4, p1, b4).GetLower();
                if (to != null) StorePhases(to + tj, qStride, f0, f1, f2, f3, f4, f5);
                if (toAbove != null) StorePhases(toAbove + tj, qStride, f0, f1, f2, f3, f4, f5);
            }
        }
    }

    /// <summary>Stores the 6 phases of 8 tiles of one patch row, 6·<paramref name="qStride"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePhases(float* q, int qStride, Vector256<float> f0, Vector256<float> f1, Vector256<float> f2,
        Vector256<float> f3, Vector256<float> f4, Vector256<float> f5)
    {
        nint phase = 6 * (nint)qStride;
        Vector256.Store(f0, q); Vector256.Store(f1, q + phase); Vector256.Store(f2, q + 2 * phase);
        Vector256.Store(f3, q + 3 * phase); Vector256.Store(f4, q + 4 * phase); Vector256.Store(f5, q + 5 * phase);
    }

    /// <summary>
    /// V[ξ][t] = (Bᵀ d B)[ξ] for the first <paramref name="tiles"/> tiles of q (see <see cref="SplitPhases"/>), 16 at a
    /// time; ξ = 6k + l planes are <paramref name="plane"/> floats apart. Up to 15 values past the last tile are overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInput(float* q, int qStride, int tiles, float* v, int plane)
    {
        nint row = qStride, phase = 6 * (nint)qStride;
        for (int t = 0; t < tiles; t += 16)
        {
            float* d = q + t, o = v + t;
            // Bᵀ over the patch rows, one or two rows k of Bᵀ d at a time (its 6 phases), then B over those phases.
            Vector512<float> e0, e1, e2, e3, e4, e5, h0, h1, h2, h3, h4, h5;
            e0 = Row0(d, row); e1 = Row0(d + phase, row); e2 = Row0(d + 2 * phase, row);
            e3 = Row0(d + 3 * phase, row); e4 = Row0(d + 4 * phase, row); e5 = Row0(d + 5 * phase, row);
            StoreTimesB(o, plane, e0, e1, e2, e3, e4, e5);
            (e0, h0) = Rows12(d, row); (e1, h1) = Rows12(d + phase, row); (e2, h2) = Rows12(d + 2 * phase, row);
            (e3, h3) = Rows12(d + 3 * phase, row); (e4, h4) = Rows12(d + 4 * phase, row); (e5, h5) = Rows12(d + 5 * phase, row);
            StoreTimesB(o + 6 * plane, plane, e0, e1, e2, e3, e4, e5);
            StoreTimesB(o + 12 * plane, plane, h0, h1, h2, h3, h4, h5);
            (e0, h0) = Rows34(d, row); (e1, h1) = Rows34(d + phase, row); (e2, h2) = Rows34(d + 2 * phase, row);
            (e3, h3) = Rows34(d + 3 * phase, row); (e4, h4) = Rows34(d + 4 * phase, row); (e5, h5) = Rows34(d + 5 * phase, row);
            StoreTimesB(o + 18 * plane, plane, e0, e1, e2, e3, e4, e5);
            StoreTimesB(o + 24 * plane, plane, h0, h1, h2, h3, h4, h5);
            e0 = Row5(d, row); e1 = Row5(d + phase, row); e2 = Row5(d + 2 * phase, row);
            e3 = Row5(d + 3 * phase, row); e4 = Row5(d + 4 * phase, row); e5 = Row5(d + 5 * phase, row);
            StoreTimesB(o + 30 * plane, plane, e0, e1, e2, e3, e4, e5);
        }
    }

    /// <summary>Row 0 of Bᵀ applied to the 6 values at d, d + step, … (see <see cref="Combine0"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row0(float* d, nint step) =>
        Combine0(Vector512.Load(d), Vector512.Load(d + step), Vector512.Load(d + 2 * step), Vector512.Load(d + 3 * step), Vector512.Load(d + 4 * step));

    /// <summary>Row 5 of Bᵀ applied to the 6 values at d, d + step, …: row 0's combination of z1 … z5.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row5(float* d, nint step) =>
        Combine0(Vector512.Load(d + step), Vector512.Load(d + 2 * step), Vector512.Load(d + 3 * step), Vector512.Load(d + 4 * step), Vector512.Load(d + 5 * step));

    /// <summary>Rows 1 and 2 of Bᵀ applied to the 6 values at d, d + step, ….</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>) Rows12(float* d, nint step) =>
        Combine12(Vector512.Load(d + step), Vector512.Load(d + 2 * step), Vector512.Load(d + 3 * step), Vector512.Load(d + 4 * step));

    /// <summary>Rows 3 and 4 of Bᵀ applied to the 6 values at d, d + step, ….</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>) Rows34(float* d, nint step) =>
        Combine34(Vector512.Load(d + step), Vector512.Load(d + 2 * step), Vector512.Load(d + 3 * step), Vector512.Load(d + 4 * step));

    /// <summary>
    /// Row 0 of Bᵀ, (z0 + z4 − 2·z2) + 1.5·(z3 − z1), for (a0 … a4) = (z0 … z4); for (z1 … z5) it is row 5,
    /// (z1 + z5 − 2·z3) + 1.5·(z4 − z2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Combine0(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3, Vector512<float> a4) =>
        Avx512F.FusedMultiplyAdd(Vector512.Create(1.5f), a3 - a1, Avx512F.FusedMultiplyAddNegated(Vector512.Create(2f), a2, a0 + a4));

    /// <summary>Rows 1 and 2 of Bᵀ: (z4 − z1) + 0.5·z2 + 2.5·z3 and (z4 + z1) − 2.5·z2 + 0.5·z3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>) Combine12(Vector512<float> z1, Vector512<float> z2, Vector512<float> z3, Vector512<float> z4)
    {
        Vector512<float> half = Vector512.Create(0.5f), fiveHalves = Vector512.Create(2.5f);
        return (Avx512F.FusedMultiplyAdd(fiveHalves, z3, Avx512F.FusedMultiplyAdd(half, z2, z4 - z1)),
            Avx512F.FusedMultiplyAdd(half, z3, Avx512F.FusedMultiplyAddNegated(fiveHalves, z2, z4 + z1)));
    }

    /// <summary>Rows 3 and 4 of Bᵀ: (z4 − z2) + 2·(z3 − z1) and (z4 − z2) − 0.5·(z3 − z1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>) Combine34(Vector512<float> z1, Vector512<float> z2, Vector512<float> z3, Vector512<float> z4)
    {
        Vector512<float> s = z4 - z2, t = z3 - z1;
        return (Avx512F.FusedMultiplyAdd(Vector512.Create(2f), t, s), Avx512F.FusedMultiplyAddNegated(Vector512.Create(0.5f), t, s));
    }

    /// <summary>One row e of Bᵀ d times B — Bᵀ's 6 rows applied to its 6 phases — stored at o, o + plane, ….</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTimesB(float* o, int plane, Vector512<float> e0, Vector512<float> e1, Vector512<float> e2,
        Vector512<float> e3, Vector512<float> e4, Vector512<float> e5)
    {
        var (v1, v2) = Combine12(e1, e2, e3, e4);
        var (v3, v4) = Combine34(e1, e2, e3, e4);
        Vector512.Store(Combine0(e0, e1, e2, e3, e4), o); Vector512.Store(v1, o + plane); Vector512.Store(v2, o + 2 * plane);
        Vector512.Store(v3, o + 3 * plane); Vector512.Store(v4, o + 4 * plane); Vector512.Store(Combine0(e1, e2, e3, e4, e5), o + 5 * plane);
    }

    /// <summary>
    /// Tiles of one 16-tile vector that lie along one tile row: lanes <see cref="Lane"/> … of the vector, whose
    /// <see cref="Pixels"/> output columns start at <see cref="At"/> in filter plane 0 of the block's y, on the
    /// <see cref="Rows"/> output rows (4, or fewer in the last tile row) from there.
    /// </summary>
    private struct Run
    {
        public int Lane, Pixels, Rows;
        public nint At;
    }

    /// <summary>
    /// Splits <paramref name="count"/> consecutive tiles from tile <paramref name="t"/> of a block into runs along tile
    /// rows (a vector continues into the next row or image); returns how many runs were written to <paramref name="runs"/>.
    /// Pixels past the output's last column and rows past its last row are left out of the runs.
    /// </summary>
    private static int FindRuns(int t, int count, int filters, int outH, int outW, int tilesW, int perImage, Run* runs)
    {
        int found = 0;
        for (int lane = 0; lane < count; found++)
        {
            int image = t / perImage, ti = t % perImage / tilesW, tj = t % perImage % tilesW, tiles = Math.Min(count - lane, tilesW - tj);
            runs[found] = new Run
            {
                Lane = lane, Pixels = Math.Min(4 * tiles, outW - 4 * tj), Rows = Math.Min(4, outH - 4 * ti),
                At = ((nint)image * filters * outH + 4 * ti) * outW + 4 * tj,
            };
            lane += tiles;
            t += tiles;
        }
        return found;
    }

    /// <summary>
    /// y = act(bias + Aᵀ m A) for 16 tiles and the first <paramref name="rows"/> of 8 filters: m[ξ][f][lane] with ξ
    /// 8·48 and f 48 floats apart; the tiles' pixels go where <paramref name="runs"/> say, in the planes of y
    /// (<paramref name="planeSize"/> apart) from the group's first filter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformOutput(float* m, float* bias, int rows, bool relu, float* y, int planeSize, int outW, Run* runs, int runCount)
    {
        var low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var high = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        float* pixels = stackalloc float[4 * 64];                                              // output rows 0 … 3 of the 16 tiles, 64 pixels each
        for (int f = 0; f < rows; f++)
        {
            const int X = 8 * Chunk;
            float* p = m + f * Chunk;
            // Aᵀ m: 4 rows of 6, column by column; then each of those rows times A, + bias, ReLU, in pixel order.
            var (a00, a10, a20, a30) = TimesA(p, X);
            var (a01, a11, a21, a31) = TimesA(p + 1 * X, X);
            var (a02, a12, a22, a32) = TimesA(p + 2 * X, X);
            var (a03, a13, a23, a33) = TimesA(p + 3 * X, X);
            var (a04, a14, a24, a34) = TimesA(p + 4 * X, X);
            var (a05, a15, a25, a35) = TimesA(p + 5 * X, X);
            var b = Vector512.Create(bias[f]);
            PixelRow(a00, a01, a02, a03, a04, a05, b, relu, low, high, pixels);
            PixelRow(a10, a11, a12, a13, a14, a15, b, relu, low, high, pixels + 64);
            PixelRow(a20, a21, a22, a23, a24, a25, b, relu, low, high, pixels + 128);
            PixelRow(a30, a31, a32, a33, a34, a35, b, relu, low, high, pixels + 192);
            float* plane = y + (nint)f * planeSize;
            for (int r = 0; r < runCount; r++)
            {
                Run run = runs[r];
                for (int i = 0; i < run.Rows; i++)
                    Copy(pixels + 64 * i + 4 * run.Lane, plane + run.At + i * outW, run.Pixels);
            }
        }
    }

    /// <summary>Aᵀ applied to the 6 values at m, m + step, …, m + 5·step (a column of the 6×6 matrix).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) TimesA(float* m, nint step) =>
        CombineA(Vector512.Load(m), Vector512.Load(m + 6 * step), Vector512.Load(m + 12 * step), Vector512.Load(m + 18 * step),
            Vector512.Load(m + 24 * step), Vector512.Load(m + 30 * step));

    /// <summary>
    /// Aᵀ's 4 rows applied to 6 values: (z0 + a + z3 + z4, b + ½z3 − 2z4, a + ¼z3 + 4z4, b + ⅛z3 − 8z4 + z5) with a, b = z1 ± z2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) CombineA(Vector512<float> z0, Vector512<float> z1,
        Vector512<float> z2, Vector512<float> z3, Vector512<float> z4, Vector512<float> z5)
    {
        Vector512<float> a = z1 + z2, b = z1 - z2;
        return ((z0 + a) + (z3 + z4),
            Avx512F.FusedMultiplyAddNegated(Vector512.Create(2f), z4, Avx512F.FusedMultiplyAdd(Vector512.Create(0.5f), z3, b)),
            Avx512F.FusedMultiplyAdd(Vector512.Create(4f), z4, Avx512F.FusedMultiplyAdd(Vector512.Create(0.25f), z3, a)),
            Avx512F.FusedMultiplyAddNegated(Vector512.Create(8f), z4, Avx512F.FusedMultiplyAdd(Vector512.Create(0.125f), z3, b)) + z5);
    }

    /// <summary>
    /// One row of Aᵀ m (its 6 columns) times A, + bias, ReLU if asked: the 4 output columns of 16 tiles, interleaved into
    /// 64 pixels in order (tile 0's 4, tile 1's 4, …) at <paramref name="to"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PixelRow(Vector512<float> z0, Vector512<float> z1, Vector512<float> z2, Vector512<float> z3, Vector512<float> z4,
        Vector512<float> z5, Vector512<float> bias, bool relu, Vector512<int> low, Vector512<int> high, float* to)
    {
        var (y0, y1, y2, y3) = CombineA(z0, z1, z2, z3, z4, z5);
        y0 += bias; y1 += bias; y2 += bias; y3 += bias;
        if (relu)
        {
            var zero = Vector512<float>.Zero;
            y0 = Vector512.Max(y0, zero); y1 = Vector512.Max(y1, zero); y2 = Vector512.Max(y2, zero); y3 = Vector512.Max(y3, zero);
        }
        Vector512<float> y02Low = Avx512F.PermuteVar16x32x2(y0, low, y2), y02High = Avx512F.PermuteVar16x32x2(y0, high, y2);
        Vector512<float> y13Low = Avx512F.PermuteVar16x32x2(y1, low, y3), y13High = Avx512F.PermuteVar16x32x2(y1, high, y3);
        Vector512.Store(Avx512F.PermuteVar16x32x2(y02Low, low, y13Low), to);
        Vector512.Store(Avx512F.PermuteVar16x32x2(y02Low, high, y13Low), to + 16);
        Vector512.Store(Avx512F.PermuteVar16x32x2(y02High, low, y13High), to + 32);
        Vector512.Store(Avx512F.PermuteVar16x32x2(y02High, high, y13High), to + 48);
    }

    /// <summary>
    /// One ξ, 8 filters × 48 tiles: m[f][t] = Σ_c u[c][f] · v[c][t], with v rows <paramref name="stride"/> floats
    /// apart; m is [8][48]. With <paramref name="add"/> the sum is added to m instead (the channels are summed
    /// in blocks this way).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Product(float* u, float* v, int channels, int stride, float* m, bool add = false)
    {
        Vector512<float> a00 = default, a10 = default, a20 = default, a30 = default, a40 = default, a50 = default, a60 = default, a70 = default;
        Vector512<float> a01 = default, a11 = default, a21 = default, a31 = default, a41 = default, a51 = default, a61 = default, a71 = default;
        Vector512<float> a02 = default, a12 = default, a22 = default, a32 = default, a42 = default, a52 = default, a62 = default, a72 = default;
        for (int c = 0; c < channels; c++, u += 8, v += stride)
        {
            Vector512<float> v0 = Vector512.Load(v), v1 = Vector512.Load(v + 16), v2 = Vector512.Load(v + 32), k;
            k = Vector512.Create(u[0]); a00 = Avx512F.FusedMultiplyAdd(k, v0, a00); a01 = Avx512F.FusedMultiplyAdd(k, v1, a01); a02 = Avx512F.FusedMultiplyAdd(k, v2, a02);
            k = Vector512.Create(u[1]); a10 = Avx512F.FusedMultiplyAdd(k, v0, a10); a11 = Avx512F.FusedMultiplyAdd(k, v1, a11); a12 = Avx512F.FusedMultiplyAdd(k, v2, a12);
            k = Vector512.Create(u[2]); a20 = Avx512F.FusedMultiplyAdd(k, v0, a20); a21 = Avx512F.FusedMultiplyAdd(k, v1, a21); a22 = Avx512F.FusedMultiplyAdd(k, v2, a22);
            k = Vector512.Create(u[3]); a30 = Avx512F.FusedMultiplyAdd(k, v0, a30); a31 = Avx512F.FusedMultiplyAdd(k, v1, a31); a32 = Avx512F.FusedMultiplyAdd(k, v2, a32);
            k = Vector512.Create(u[4]); a40 = Avx512F.FusedMultiplyAdd(k, v0, a40); a41 = Avx512F.FusedMultiplyAdd(k, v1, a41); a42 = Avx512F.FusedMultiplyAdd(k, v2, a42);
            k = Vector512.Create(u[5]); a50 = Avx512F.FusedMultiplyAdd(k, v0, a50); a51 = Avx512F.FusedMultiplyAdd(k, v1, a51); a52 = Avx512F.FusedMultiplyAdd(k, v2, a52);
            k = Vector512.Create(u[6]); a60 = Avx512F.FusedMultiplyAdd(k, v0, a60); a61 = Avx512F.FusedMultiplyAdd(k, v1, a61); a62 = Avx512F.FusedMultiplyAdd(k, v2, a62);
            k = Vector512.Create(u[7]); a70 = Avx512F.FusedMultiplyAdd(k, v0, a70); a71 = Avx512F.FusedMultiplyAdd(k, v1, a71); a72 = Avx512F.FusedMultiplyAdd(k, v2, a72);
        }
        Put(m, a00, a01, a02, add); Put(m + Chunk, a10, a11, a12, add); Put(m + 2 * Chunk, a20, a21, a22, add); Put(m + 3 * Chunk, a30, a31, a32, add);
        Put(m + 4 * Chunk, a40, a41, a42, add); Put(m + 5 * Chunk, a50, a51, a52, add); Put(m + 6 * Chunk, a60, a61, a62, add); Put(m + 7 * Chunk, a70, a71, a72, add);
    }

    /// <summary>Stores one filter's 48 tiles, or adds them to what m holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* m, Vector512<float> t0, Vector512<float> t1, Vector512<float> t2, bool add)
    {
        if (add) { t0 += Vector512.Load(m); t1 += Vector512.Load(m + 16); t2 += Vector512.Load(m + 32); }
        Vector512.Store(t0, m); Vector512.Store(t1, m + 16); Vector512.Store(t2, m + 32);
    }

    /// <summary>Copies <paramref name="count"/> floats: the common whole vectors of 32, 16 and 8 directly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Copy(float* from, float* to, int count)
    {
        if (count == 32) { Vector512.Store(Vector512.Load(from), to); Vector512.Store(Vector512.Load(from + 16), to + 16); }
        else if (count == 16) Vector512.Store(Vector512.Load(from), to);
        else if (count == 8) Vector256.Store(Vector256.Load(from), to);
        else new ReadOnlySpan<float>(from, count).CopyTo(new Span<float>(to, count));
    }

    /// <summary>
    /// Copies one image (C, H, W) into (C, paddedH, paddedW) so that padded row r, column s holds pixel
    /// (r − padTop, s − padLeft). Writes only those places: the zeros around them are set once per buffer.
    /// </summary>
    internal static void CopyImage(float* image, int channels, in WindowGeometry g, float* padded, int paddedH, int paddedW)
    {
        int from = Math.Max(0, g.PadLeft), to = Math.Min(paddedW, g.Width + g.PadLeft);   // padded columns that hold image pixels
        int top = Math.Max(0, g.PadTop), bottom = Math.Min(paddedH, g.Height + g.PadTop);  // and rows
        if (from >= to) return;
        for (int c = 0; c < channels; c++)
            for (int r = top; r < bottom; r++)
                new ReadOnlySpan<float>(image + ((nint)c * g.Height + r - g.PadTop) * g.Width + (from - g.PadLeft), to - from)
                    .CopyTo(new Span<float>(padded + ((nint)c * paddedH + r) * paddedW + from, to - from));
    }
}
