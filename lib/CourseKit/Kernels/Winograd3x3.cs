// ─────────────────────────────────────────────────────────────────────────────────────────────
// Winograd3x3: a stride-1 3×3 convolution with Winograd's minimal filtering F(2×2, 3×3).
//
// Direct convolution spends 9 multiply-adds per input channel on every output pixel. Winograd's
// trick computes a 2×2 block of outputs (a "tile") from the 4×4 input patch d under it with only 16
// multiplications per channel instead of 36, by moving filter and patch into a transformed space:
//
//     y (2×2) = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A                ⊙: element-wise product of two 4×4 matrices
//
//     Bᵀ = ⎡1  0 −1  0⎤    G = ⎡ 1   0   0⎤    Aᵀ = ⎡1  1  1  0⎤
//          ⎢0  1  1  0⎥        ⎢ ½   ½   ½⎥         ⎣0  1 −1 −1⎦
//          ⎢0 −1  1  0⎥        ⎢ ½  −½   ½⎥
//          ⎣0  1  0 −1⎦        ⎣ 0   0   1⎦
//
// Because every transform is linear, the sum over input channels can be taken in the transformed
// space: with U[ξ][o][c] = (G g_oc Gᵀ)[ξ] and V[ξ][c][t] = (Bᵀ d_ct B)[ξ] for the 16 positions ξ of a
// 4×4 matrix and every tile t,
//
//     M[ξ][o][t] = Σ_c U[ξ][o][c] · V[ξ][c][t]             16 independent matrix products
//     y_ot       = Aᵀ M[·][o][t] A  (+ bias, ReLU)
//
// so 2.25× fewer multiply-adds than a direct convolution remain, all in 16 matrix products; the
// transforms are only additions (and, for the filters, halvings done once per call).
//
//   filters: U = G g Gᵀ once per call, laid out [group of 8 filters][ξ][c][8 filters]
//   for each image range (one per thread), in blocks of images (about 2¹⁴/C tiles, so V stays in L2;
//   whole multiples of 3 images where possible, as 3 images of 16k tiles fill whole chunks of 48):
//     input transform: each image copied into a zero-bordered buffer (as in DirectConv); for each
//       channel, tile row and 16 tiles of the row, the patch columns 2j … 2j+3 of the 16 tiles are
//       the even and odd lanes of two pairs of vector loads; Bᵀ d B for all 16 tiles at once is
//       stored at the tiles' flattened index t = (image, tile row, tile column) in the block. A last
//       vector that runs past the end of its row spills into the next row's places, which that row
//       overwrites: no masks.
//     for each 48 tiles t0 … t0+47 and each group of 8 filters:
//       for each ξ: 24 accumulators (8 filters × 3 vectors of 16 tiles); per channel 3 loads of V,
//         8 broadcasts of U and 24 fused multiply-adds, as in DirectConv     ── most of the time
//       (M for the 8 filters and 48 tiles, 16 × 8 × 48 floats, stays in L1 for the next step)
//       output transform, 16 tiles at a time: Aᵀ m A, bias, ReLU; the two output columns of the
//         tiles interleaved back into pixel order, and only the pixels inside the output stored.
//
// Each output is computed from its own tile's values in a fixed order (channels in order, then the
// fixed transform), so results are bit-identical for any thread count and blocking. The transforms
// add rounding error of a few ulps of their intermediate sums, which can be a few times the terms;
// measured against a double-precision sum (N(0, 1) data, 3–256 channels): |error| ≤ 2.3e-6·√C·(1 + |y|),
// no worse than DirectConv's (≤ 5e-6·√C·(1 + |y|)), as Winograd's sum over channels has 9× fewer terms.
// AVX-512 only; see Suits for where it beats DirectConv and ImplicitGemmConv.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Kernels;

/// <summary>Stride-1 3×3 convolution by Winograd's F(2×2, 3×3) minimal filtering (AVX-512).</summary>
internal static unsafe class Winograd3x3
{
    /// <summary>Tiles per register tile of the matrix products: 3 vectors of 16 (Winograd4x4 uses the same products).</summary>
    internal const int Chunk = 48;

    /// <summary>The transformed input of a block of images is kept near this many floats (1 MB), half of L2.</summary>
    private const int BlockFloats = 1 << 18;

    /// <summary>
    /// 3×3 kernels, stride 1, no dilation, on a CPU with AVX-512, with at least 32 input channels and 32 filters and
    /// C·O ≥ 2048. Measured (batch 64, 1 and 2 cores, medians): 1.1–1.4× faster than DirectConv at 16×16 and 32×32
    /// outputs with 32→64, 64→32 and 64→64 channels, 2–2.4× faster than DirectConv and 1.05–1.25× faster than
    /// ImplicitGemmConv at 8×8 with 64→128, 128→64 and 128→128; on par at 32→32 and 16→64 (the transforms, which
    /// cost in proportion to C + O rather than C·O, eat the saving), slower at 8→16 and 16→8 (MNIST).
    /// </summary>
    public static bool Suits(int channels, int filters, in WindowGeometry g) =>
        Avx512F.IsSupported && g.KernelH == 3 && g.KernelW == 3 && g.StrideH == 1 && g.StrideW == 1
        && g.DilationH == 1 && g.DilationW == 1 && channels >= 32 && filters >= 32 && channels * filters >= 2048;

    /// <summary>
    /// y (N, O, outH, outW) = act(b + w ⊛ x) for x (N, C, H, W) and w (O, C, 3, 3), stride 1; y is overwritten.
    /// </summary>
    public static void Forward(float[] x, int batch, int channels, in WindowGeometry g, float[] w, int filters, float[]? bias,
        float[] y, bool relu, int threads)
    {
        int outH = g.OutHeight, outW = g.OutWidth, tilesH = (outH + 1) / 2, tilesW = (outW + 1) / 2, perImage = tilesH * tilesW;
        int paddedH = 2 * tilesH + 2, paddedW = (tilesW + 15) / 16 * 32 + 2;
        int groups = (filters + 7) / 8, imageSize = channels * g.InputArea, paddedSize = channels * paddedH * paddedW;
        int blockImages = Math.Clamp(BlockFloats / (16 * channels * perImage), 1, Math.Max(1, batch));
        if (blockImages >= 3) blockImages -= blockImages % 3;     // 3 images of 16k tiles fill whole chunks of 48
        int stride = (blockImages * perImage + Chunk - 1) / Chunk * Chunk + 16;       // V row length: chunks and the spill of a last vector
        int plane = channels * stride + 32;                // from one ξ to the next; the 32 keeps the 16 planes off one 4 KB alias
        var (packed, packedBias) = TransformFilters(w, filters, channels, bias);

        long work = (long)batch * filters * channels * 9 * outH * outW;
        int parts = threads <= 1 || batch < 2 || work < 1 << 18 ? 1 : Math.Min(threads, batch);
        var geometry = g;
        void Range(int part)
        {
            int first = (int)((long)batch * part / parts), end = (int)((long)batch * (part + 1) / parts);
            var padded = ArrayPool<float>.Shared.Rent(paddedSize);
            Array.Clear(padded, 0, paddedSize);                                                // the zero border, for all images
            var v = ArrayPool<float>.Shared.Rent(16 * plane);
            var m = ArrayPool<float>.Shared.Rent(16 * 8 * Chunk);
            Run* runs = stackalloc Run[3 * 16];                                                // where each vector's tiles go
            int* runCounts = stackalloc int[3];
            try
            {
                fixed (float* px = x, pu = packed, pb = packedBias, py = y, pp = padded, pv = v, pm = m)
                    for (int n0 = first; n0 < end; n0 += blockImages)
                    {
                        int images = Math.Min(blockImages, end - n0), tiles = images * perImage;
                        for (int xi = 0; xi < 16; xi++)                                    // stale values past the tiles: keep them finite
                            for (int c = 0; c < channels; c++)
                                new Span<float>(pv + (nint)xi * plane + c * stride + tiles, stride - tiles).Clear();
                        for (int i = 0; i < images; i++)
                        {
                            CopyImage(px + (nint)(n0 + i) * imageSize, channels, geometry, pp, paddedH, paddedW);
                            TransformInput(pp, channels, paddedH, paddedW, tilesH, tilesW, pv + i * perImage, stride, plane);
                        }
                        float* yBlock = py + (nint)n0 * filters * outH * outW;
                        for (int t0 = 0; t0 < tiles; t0 += Chunk)
                        {
                            int vectors = Math.Min(3, (tiles - t0 + 15) / 16);                     // of 16 tiles, holding real tiles
                            for (int s = 0; s < vectors; s++)
                                runCounts[s] = FindRuns(t0 + 16 * s, Math.Min(16, tiles - t0 - 16 * s), filters, outH, outW, tilesW, perImage, runs + 16 * s);
                            for (int group = 0; group < groups; group++)
                            {
                                float* u = pu + (nint)group * 16 * channels * 8;
                                for (int xi = 0; xi < 16; xi++)
                                    Product(u + xi * channels * 8, pv + (nint)xi * plane + t0, channels, stride, pm + xi * 8 * Chunk);
                                for (int s = 0; s < vectors; s++)
                                    TransformOutput(pm + 16 * s, pb + group * 8, Math.Min(8, filters - group * 8), relu,
                                        yBlock + (nint)group * 8 * outH * outW, outH * outW, outW, runs + 16 * s, runCounts[s]);
                            }
                        }
                    }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(padded);
                ArrayPool<float>.Shared.Return(v);
                ArrayPool<float>.Shared.Return(m);
            }
        }
        if (parts == 1) Range(0);
        else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, Range);
    }

    /// <summary>
    /// U = G g Gᵀ for every filter g = w[o, c] as [group of 8 filters][ξ][c][8] (zeros past the last filter),
    /// and the bias as [group][8].
    /// </summary>
    private static (float[] U, float[] Bias) TransformFilters(float[] w, int filters, int channels, float[]? bias)
    {
        int groups = (filters + 7) / 8;
        var u = GC.AllocateUninitializedArray<float>(groups * 16 * channels * 8, pinned: true);
        var packedBias = new float[groups * 8];
        Span<float> gg = stackalloc float[12], row = stackalloc float[4];                     // G g (4 × 3), a row of G g Gᵀ
        for (int o = 0; o < groups * 8; o++)
        {
            int group = o / 8, f = o % 8;
            for (int c = 0; c < channels; c++)
            {
                int at = (o * channels + c) * 9;
                for (int q = 0; q < 3; q++)
                {
                    float g0 = o < filters ? w[at + q] : 0f, g1 = o < filters ? w[at + 3 + q] : 0f, g2 = o < filters ? w[at + 6 + q] : 0f;
                    gg[q] = g0; gg[3 + q] = 0.5f * (g0 + g1 + g2); gg[6 + q] = 0.5f * (g0 - g1 + g2); gg[9 + q] = g2;
                }
                for (int k = 0; k < 4; k++)                                                   // (G g) Gᵀ, row k
                {
                    float h0 = gg[3 * k], h1 = gg[3 * k + 1], h2 = gg[3 * k + 2];
                    row[0] = h0; row[1] = 0.5f * (h0 + h1 + h2); row[2] = 0.5f * (h0 - h1 + h2); row[3] = h2;
                    for (int l = 0; l < 4; l++)
                        u[((group * 16 + 4 * k + l) * channels + c) * 8 + f] = row[l];
                }
            }
            if (o < filters && bias is not null) packedBias[o] = bias[o];
        }
        return (u, packedBias);
    }

    /// <summary>
    /// V[ξ][c][t] = (Bᵀ d B)[ξ] for every channel c and tile t of one zero-bordered image (C, paddedH, paddedW),
    /// where d is the 4×4 patch at padded row 2·tileRow, column 2·tileColumn and t = tileRow·tilesW + tileColumn;
    /// V rows are <paramref name="stride"/> floats apart, and ξ planes <paramref name="plane"/>. Up to 15 values past the image's last tile are overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInput(float* padded, int channels, int paddedH, int paddedW, int tilesH, int tilesW, float* v, int stride, int plane)
    {
        var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odd = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
        for (int c = 0; c < channels; c++)
            for (int ti = 0; ti < tilesH; ti++)
                for (int tj = 0; tj < tilesW; tj += 16)
                {
                    float* p = padded + ((nint)c * paddedH + 2 * ti) * paddedW + 2 * tj;
                    // Each patch row r: columns 0 … 3 of the 16 patches (even/odd lanes of loads at 0, 16 and 2, 18), times B.
                    Vector512<float> e00, e01, e02, e03, e10, e11, e12, e13, e20, e21, e22, e23, e30, e31, e32, e33;
                    (e00, e01, e02, e03) = RowTimesB(p, even, odd);
                    (e10, e11, e12, e13) = RowTimesB(p + paddedW, even, odd);
                    (e20, e21, e22, e23) = RowTimesB(p + 2 * paddedW, even, odd);
                    (e30, e31, e32, e33) = RowTimesB(p + 3 * paddedW, even, odd);
                    // Bᵀ times those rows: row 0 − row 2, row 1 + row 2, row 2 − row 1, row 1 − row 3.
                    float* o = v + (nint)c * stride + ti * tilesW + tj;
                    Vector512.Store(e00 - e20, o); Vector512.Store(e01 - e21, o + plane);
                    Vector512.Store(e02 - e22, o + 2 * plane); Vector512.Store(e03 - e23, o + 3 * plane);
                    Vector512.Store(e10 + e20, o + 4 * plane); Vector512.Store(e11 + e21, o + 5 * plane);
                    Vector512.Store(e12 + e22, o + 6 * plane); Vector512.Store(e13 + e23, o + 7 * plane);
                    Vector512.Store(e20 - e10, o + 8 * plane); Vector512.Store(e21 - e11, o + 9 * plane);
                    Vector512.Store(e22 - e12, o + 10 * plane); Vector512.Store(e23 - e13, o + 11 * plane);
                    Vector512.Store(e10 - e30, o + 12 * plane); Vector512.Store(e11 - e31, o + 13 * plane);
                    Vector512.Store(e12 - e32, o + 14 * plane); Vector512.Store(e13 - e33, o + 15 * plane);
                }
    }

    /// <summary>One patch row (d0, d1, d2, d3) of 16 consecutive tiles, times B: (d0 − d2, d1 + d2, d2 − d1, d1 − d3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) RowTimesB(float* p,
        Vector512<int> even, Vector512<int> odd)
    {
        Vector512<float> a = Vector512.Load(p), b = Vector512.Load(p + 16), c = Vector512.Load(p + 2), d = Vector512.Load(p + 18);
        Vector512<float> d0 = Avx512F.PermuteVar16x32x2(a, even, b), d1 = Avx512F.PermuteVar16x32x2(a, odd, b);
        Vector512<float> d2 = Avx512F.PermuteVar16x32x2(c, even, d), d3 = Avx512F.PermuteVar16x32x2(c, odd, d);
        return TimesB(d0, d1, d2, d3);
    }

    /// <summary>The combination B makes of 4 values, (d0 − d2, d1 + d2, d2 − d1, d1 − d3) — Bᵀ's rows (WinogradWeightGradient uses it too).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) TimesB(Vector512<float> d0, Vector512<float> d1,
        Vector512<float> d2, Vector512<float> d3) => (d0 - d2, d1 + d2, d2 - d1, d1 - d3);

    /// <summary>
    /// One ξ, 8 filters × 48 tiles: m[f][t] = Σ_c u[c][f] · v[c][t], with v rows <paramref name="stride"/> floats
    /// apart; m is [8][48]. With <paramref name="add"/> the sum is added to m instead (Winograd4x4 sums its channels
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

    /// <summary>
    /// Tiles of one 16-tile vector that lie along one tile row: lanes <see cref="Lane"/> … of the vector, whose
    /// <see cref="Pixels"/> output columns start at <see cref="At"/> in filter plane 0 of the block's y, with a second
    /// output row below unless <see cref="OneRow"/> (the last tile row of an odd output height).
    /// </summary>
    private struct Run
    {
        public int Lane, Pixels;
        public nint At;
        public bool OneRow;
    }

    /// <summary>
    /// Splits <paramref name="count"/> consecutive tiles from tile <paramref name="t"/> of a block into runs along tile
    /// rows (a vector continues into the next row or image); returns how many runs were written to <paramref name="runs"/>.
    /// Pixels past the output's last column are left out of the runs.
    /// </summary>
    private static int FindRuns(int t, int count, int filters, int outH, int outW, int tilesW, int perImage, Run* runs)
    {
        int found = 0;
        for (int lane = 0; lane < count; found++)
        {
            int image = t / perImage, ti = t % perImage / tilesW, tj = t % perImage % tilesW, tiles = Math.Min(count - lane, tilesW - tj);
            runs[found] = new Run
            {
                Lane = lane, Pixels = Math.Min(2 * tiles, outW - 2 * tj), OneRow = 2 * ti + 1 == outH,
                At = ((nint)image * filters * outH + 2 * ti) * outW + 2 * tj,
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
        float* rows01 = stackalloc float[64];                                                  // output rows 0 and 1 of the 16 tiles, 32 pixels each
        for (int f = 0; f < rows; f++)
        {
            float* p = m + f * Chunk;
            const int X = 8 * Chunk;
            // Aᵀ m: row 0 = m0 + m1 + m2, row 1 = m1 − m2 − m3 (each a row of 4), then those times A.
            Vector512<float> m4 = Vector512.Load(p + 4 * X), m5 = Vector512.Load(p + 5 * X), m6 = Vector512.Load(p + 6 * X), m7 = Vector512.Load(p + 7 * X);
            Vector512<float> m8 = Vector512.Load(p + 8 * X), m9 = Vector512.Load(p + 9 * X), m10 = Vector512.Load(p + 10 * X), m11 = Vector512.Load(p + 11 * X);
            Vector512<float> s0 = Vector512.Load(p) + m4 + m8, s1 = Vector512.Load(p + X) + m5 + m9;
            Vector512<float> s2 = Vector512.Load(p + 2 * X) + m6 + m10, s3 = Vector512.Load(p + 3 * X) + m7 + m11;
            Vector512<float> r0 = m4 - m8 - Vector512.Load(p + 12 * X), r1 = m5 - m9 - Vector512.Load(p + 13 * X);
            Vector512<float> r2 = m6 - m10 - Vector512.Load(p + 14 * X), r3 = m7 - m11 - Vector512.Load(p + 15 * X);
            var b = Vector512.Create(bias[f]);
            Vector512<float> y00 = b + (s0 + s1 + s2), y01 = b + (s1 - s2 - s3), y10 = b + (r0 + r1 + r2), y11 = b + (r1 - r2 - r3);
            if (relu)
            {
                var zero = Vector512<float>.Zero;
                y00 = Vector512.Max(y00, zero); y01 = Vector512.Max(y01, zero); y10 = Vector512.Max(y10, zero); y11 = Vector512.Max(y11, zero);
            }
            // The two columns of each tile interleaved back into pixel order.
            Vector512.Store(Avx512F.PermuteVar16x32x2(y00, low, y01), rows01);
            Vector512.Store(Avx512F.PermuteVar16x32x2(y00, high, y01), rows01 + 16);
            Vector512.Store(Avx512F.PermuteVar16x32x2(y10, low, y11), rows01 + 32);
            Vector512.Store(Avx512F.PermuteVar16x32x2(y10, high, y11), rows01 + 48);
            float* plane = y + (nint)f * planeSize;
            for (int r = 0; r < runCount; r++)
            {
                Run run = runs[r];
                Copy(rows01 + 2 * run.Lane, plane + run.At, run.Pixels);
                if (!run.OneRow) Copy(rows01 + 32 + 2 * run.Lane, plane + run.At + outW, run.Pixels);
            }
        }
    }

    /// <summary>Copies <paramref name="count"/> floats: the common whole vectors of 32, 16 and 8 directly (Winograd4x4 uses it too).</summary>
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
    /// Winograd4x4 copies one channel at a time with it.
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
