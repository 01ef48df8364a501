// ─────────────────────────────────────────────────────────────────────────────────────────────
// DirectConv: a stride-1 convolution computed straight from the image, 16 output pixels at a time.
//
//     y[o, i, j] = act(b[o] + Σ_c Σ_p Σ_q w[o, c, p, q] · x[c, i + p − pad, j + q − pad])
//
// With stride 1, the 16 inputs that tap (c, p, q) sees for outputs j … j+15 of row i are 16
// consecutive pixels of input row i + p, starting at column j + q − pad. So after copying the image
// once into a buffer with a border of zeros, every tap is one plain vector load: no im2col, no masks.
//
//   for each image (threads take ranges of images), copied into its zero-bordered buffer:
//     for each group of 8 filters and each 3 runs of 16 output pixels (along the rows):
//       24 accumulators (8 filters × 3 runs) start at the bias
//       for every channel c and tap (p, q):
//         load the 3 runs' input vectors (row i + p, column j + q) and broadcast the 8 filters' weights
//         24 fused multiply-adds
//       store straight into y (after ReLU, if asked), masking the part of a run past the end of its row
//
// Each output is one sum in a fixed order, so results do not depend on the thread count. The weights
// are re-laid as [group][c][p][q][8 filters] so the 8 broadcasts read one cache line. The input
// gradient of a stride-1 convolution is a convolution too (F.Convolution.cs, FlippedWeights), so
// backward uses this kernel as well. AVX-512 only; see Suits for where it is used.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Kernels;

/// <summary>Direct stride-1 convolution from a zero-bordered copy of each image (AVX-512).</summary>
internal static unsafe class DirectConv
{
    /// <summary>
    /// Stride 1 and no dilation on a CPU with AVX-512, where measured faster than the implicit GEMM:
    /// output rows of at least 12 pixels (shorter rows leave much of each 16-lane run empty), or rows of
    /// 8–11 pixels when the filters are small (C·kH·kW &lt; 256, where gathering columns would dominate).
    /// </summary>
    public static bool Suits(int channels, in WindowGeometry g) =>
        Avx512F.IsSupported && g.StrideH == 1 && g.StrideW == 1 && g.DilationH == 1 && g.DilationW == 1
        && (g.OutWidth >= 12 || g.OutWidth >= 8 && channels * g.KernelArea < 256);

    /// <summary>
    /// y (N, O, outH, outW) = act(b + w ⊛ x) for x (N, C, H, W) and w (O, C, kH, kW); y is overwritten.
    /// </summary>
    public static void Forward(float[] x, int batch, int channels, in WindowGeometry g, float[] w, int filters, float[]? bias,
        float[] y, bool relu, int threads)
    {
        int kh = g.KernelH, kw = g.KernelW, taps = kh * kw, outH = g.OutHeight, outW = g.OutWidth;
        int runs = (outW + 15) / 16, paddedH = outH + kh - 1, paddedW = runs * 16 + kw - 1;
        int groups = (filters + 7) / 8, tiles = (outH * runs + 2) / 3;
        int imageSize = channels * g.InputArea, paddedSize = channels * paddedH * paddedW, outputSize = filters * outH * outW;

        // Weights as [group][c][p][q][8 filters] (zeros past the last filter); bias padded likewise.
        var packed = GC.AllocateUninitializedArray<float>(groups * channels * taps * 8, pinned: true);
        var packedBias = new float[groups * 8];
        for (int o = 0; o < groups * 8; o++)
        {
            int group = o / 8, f = o % 8;
            for (int c = 0; c < channels; c++)
                for (int t = 0; t < taps; t++)
                    packed[((group * channels + c) * taps + t) * 8 + f] = o < filters ? w[(o * channels + c) * taps + t] : 0f;
            if (o < filters && bias is not null) packedBias[o] = bias[o];
        }

        long work = (long)batch * filters * channels * taps * outH * outW;
        int parts = threads <= 1 || batch < 2 || work < 1 << 18 ? 1 : Math.Min(threads, batch);
        var geometry = g;
        void Range(int part)
        {
            int first = (int)((long)batch * part / parts), end = (int)((long)batch * (part + 1) / parts);
            var padded = ArrayPool<float>.Shared.Rent(paddedSize + 16);
            try
            {
                fixed (float* px = x, pw = packed, pb = packedBias, py = y, pp = padded)
                    for (int n = first; n < end; n++)
                    {
                        PadImage(px + (nint)n * imageSize, channels, geometry, pp, paddedH, paddedW);
                        float* yImage = py + (nint)n * outputSize;
                        for (int group = 0; group < groups; group++)
                        {
                            var target = new Target(yImage + (nint)group * 8 * outH * outW, outH * outW, Math.Min(8, filters - group * 8), relu);
                            float* weights = pw + (nint)group * channels * taps * 8;
                            for (int tile = 0; tile < tiles; tile++)
                            {
                                // The tile's three runs (output row, first column); a missing third run repeats the last.
                                int t0 = tile * 3, t1 = Math.Min(t0 + 1, outH * runs - 1), t2 = Math.Min(t0 + 2, outH * runs - 1);
                                int i0 = t0 / runs, j0 = t0 % runs * 16, i1 = t1 / runs, j1 = t1 % runs * 16, i2 = t2 / runs, j2 = t2 % runs * 16;
                                Tile(weights, channels, kh, kw, pp + i0 * paddedW + j0, pp + i1 * paddedW + j1, pp + i2 * paddedW + j2,
                                    paddedH * paddedW, paddedW, pb + group * 8, target,
                                    new Run(i0 * outW + j0, Math.Min(16, outW - j0)),
                                    t1 != t0 ? new Run(i1 * outW + j1, Math.Min(16, outW - j1)) : default,
                                    t2 != t1 ? new Run(i2 * outW + j2, Math.Min(16, outW - j2)) : default);
                            }
                        }
                    }
            }
            finally { ArrayPool<float>.Shared.Return(padded); }
        }
        if (parts == 1) Range(0);
        else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, Range);
    }

    /// <summary>Where a tile's outputs go: the first of its (up to) 8 filters' output planes in y.</summary>
    private readonly struct Target(float* plane0, int planeSize, int filters, bool relu)
    {
        public readonly float* Plane0 = plane0;
        public readonly int PlaneSize = planeSize, Filters = filters;
        public readonly bool Relu = relu;
    }

    /// <summary>One run of output pixels: its index in the output plane and how many of its 16 lanes are inside the row (0: none, a repeated run).</summary>
    private readonly record struct Run(int At, int Pixels);

    /// <summary>
    /// 8 filters × 3 runs of 16 pixels: y_run[f][0..15] = act(bias[f] + Σ_c,p,q w[c][p][q][f] · x_run[c, p, q … q + 15]),
    /// x_run pointing at the run's first input pixel of channel 0, row 0 of the window; stored straight into the output planes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(float* w, int channels, int kh, int kw, float* x0, float* x1, float* x2, int plane, int row,
        float* bias, in Target target, Run run0, Run run1, Run run2)
    {
        Vector512<float> a00 = Vector512.Create(bias[0]), a10 = Vector512.Create(bias[1]), a20 = Vector512.Create(bias[2]), a30 = Vector512.Create(bias[3]);
        Vector512<float> a40 = Vector512.Create(bias[4]), a50 = Vector512.Create(bias[5]), a60 = Vector512.Create(bias[6]), a70 = Vector512.Create(bias[7]);
        Vector512<float> a01 = a00, a11 = a10, a21 = a20, a31 = a30, a41 = a40, a51 = a50, a61 = a60, a71 = a70;
        Vector512<float> a02 = a00, a12 = a10, a22 = a20, a32 = a30, a42 = a40, a52 = a50, a62 = a60, a72 = a70;
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < kh; p++)
            {
                nint offset = (nint)c * plane + (nint)p * row;
                float* r0 = x0 + offset, r1 = x1 + offset, r2 = x2 + offset;
                for (int q = 0; q < kw; q++, w += 8)
                {
                    Vector512<float> v0 = Vector512.Load(r0 + q), v1 = Vector512.Load(r1 + q), v2 = Vector512.Load(r2 + q), k;
                    k = Vector512.Create(w[0]); a00 = Avx512F.FusedMultiplyAdd(k, v0, a00); a01 = Avx512F.FusedMultiplyAdd(k, v1, a01); a02 = Avx512F.FusedMultiplyAdd(k, v2, a02);
                    k = Vector512.Create(w[1]); a10 = Avx512F.FusedMultiplyAdd(k, v0, a10); a11 = Avx512F.FusedMultiplyAdd(k, v1, a11); a12 = Avx512F.FusedMultiplyAdd(k, v2, a12);
                    k = Vector512.Create(w[2]); a20 = Avx512F.FusedMultiplyAdd(k, v0, a20); a21 = Avx512F.FusedMultiplyAdd(k, v1, a21); a22 = Avx512F.FusedMultiplyAdd(k, v2, a22);
                    k = Vector512.Create(w[3]); a30 = Avx512F.FusedMultiplyAdd(k, v0, a30); a31 = Avx512F.FusedMultiplyAdd(k, v1, a31); a32 = Avx512F.FusedMultiplyAdd(k, v2, a32);
                    k = Vector512.Create(w[4]); a40 = Avx512F.FusedMultiplyAdd(k, v0, a40); a41 = Avx512F.FusedMultiplyAdd(k, v1, a41); a42 = Avx512F.FusedMultiplyAdd(k, v2, a42);
                    k = Vector512.Create(w[5]); a50 = Avx512F.FusedMultiplyAdd(k, v0, a50); a51 = Avx512F.FusedMultiplyAdd(k, v1, a51); a52 = Avx512F.FusedMultiplyAdd(k, v2, a52);
                    k = Vector512.Create(w[6]); a60 = Avx512F.FusedMultiplyAdd(k, v0, a60); a61 = Avx512F.FusedMultiplyAdd(k, v1, a61); a62 = Avx512F.FusedMultiplyAdd(k, v2, a62);
                    k = Vector512.Create(w[7]); a70 = Avx512F.FusedMultiplyAdd(k, v0, a70); a71 = Avx512F.FusedMultiplyAdd(k, v1, a71); a72 = Avx512F.FusedMultiplyAdd(k, v2, a72);
                }
            }
        Put(target, run0, a00, a10, a20, a30, a40, a50, a60, a70);
        Put(target, run1, a01, a11, a21, a31, a41, a51, a61, a71);
        Put(target, run2, a02, a12, a22, a32, a42, a52, a62, a72);
    }

    /// <summary>Stores one run of the 8 filters' outputs (after ReLU, if asked): the valid filters and the run's pixels only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(in Target target, Run run, Vector512<float> f0, Vector512<float> f1, Vector512<float> f2, Vector512<float> f3,
        Vector512<float> f4, Vector512<float> f5, Vector512<float> f6, Vector512<float> f7)
    {
        if (run.Pixels == 0) return;
        float* y = target.Plane0 + run.At;
        nint step = target.PlaneSize;
        int filters = target.Filters;
        bool whole = run.Pixels == 16, relu = target.Relu;
        var mask = whole ? default                                    // lanes 0 … 15 below the run's pixel count
            : Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(run.Pixels)).AsSingle();
        Store(f0, y, whole, mask, relu);
        if (filters > 1) Store(f1, y + step, whole, mask, relu);
        if (filters > 2) Store(f2, y + 2 * step, whole, mask, relu);
        if (filters > 3) Store(f3, y + 3 * step, whole, mask, relu);
        if (filters > 4) Store(f4, y + 4 * step, whole, mask, relu);
        if (filters > 5) Store(f5, y + 5 * step, whole, mask, relu);
        if (filters > 6) Store(f6, y + 6 * step, whole, mask, relu);
        if (filters > 7) Store(f7, y + 7 * step, whole, mask, relu);
    }

    /// <summary>y[0..15] = v (or max(v, 0)): all 16 lanes, or only those <paramref name="mask"/> selects, in two masked halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> v, float* y, bool whole, Vector512<float> mask, bool relu)
    {
        if (relu) v = Vector512.Max(v, Vector512<float>.Zero);
        if (whole) v.Store(y);
        else
        {
            Avx.MaskStore(y, mask.GetLower(), v.GetLower());
            Avx.MaskStore(y + 8, mask.GetUpper(), v.GetUpper());
        }
    }

    /// <summary>
    /// Copies one image (C, H, W) into (C, paddedH, paddedW) so that padded row r, column s holds pixel
    /// (r − padTop, s − padLeft), with zeros wherever that falls outside the image.
    /// </summary>
    private static void PadImage(float* image, int channels, in WindowGeometry g, float* padded, int paddedH, int paddedW)
    {
        new Span<float>(padded, channels * paddedH * paddedW).Clear();
        int from = Math.Max(0, g.PadLeft), to = Math.Min(paddedW, g.Width + g.PadLeft);   // padded columns that hold image pixels
        if (from >= to) return;
        for (int c = 0; c < channels; c++)
            for (int r = 0; r < paddedH; r++)
            {
                int source = r - g.PadTop;
                if ((uint)source >= (uint)g.Height) continue;
                new ReadOnlySpan<float>(image + ((nint)c * g.Height + source) * g.Width + (from - g.PadLeft), to - from)
                    .CopyTo(new Span<float>(padded + ((nint)c * paddedH + r) * paddedW + from, to - from));
            }
    }
}
