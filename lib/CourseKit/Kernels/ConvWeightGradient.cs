// ─────────────────────────────────────────────────────────────────────────────────────────────
// ConvWeightGradient: the weight gradient of a 3×3, stride-1 convolution, straight from the images.
//
//     dW[o, c, p, q] = Σₙ Σᵢ,ⱼ dY[n, o, i, j] · x[n, c, i + p − pad, j + q − pad]
//
// As a matrix product (dW = dY · columnsᵀ, F.Convolution.cs) the sum runs along pixels, which are
// contiguous in both dY and the columns, while a GEMM micro-kernel wants the summed axis outermost:
// both operands must be transposed first, and that copying costs as much as the arithmetic. Here the
// sum is done the way the memory lies: 16 pixels of an output row at a time, in vector accumulators.
//
//   copy a few images into zero-padded buffers: x with a border of zeros, dY with rows padded to 16
//   for each group of 8 filters, each input channel c and each kernel row p:
//     24 accumulators (8 filters × the 3 taps q of row p), each 16 lanes wide
//     for every image, output row i and 16-pixel run j:
//       x₀, x₁, x₂ = the padded input row i + p of channel c, from column j + 0, 1, 2
//       for each filter f: acc[f][q] += dY[f, i, j…j+15] · x_q
//     dW[f, c, p, q] += the 16 lanes of acc[f][q], summed
//
// The zero border makes every load a plain unaligned load: no masks, no bounds tests; padded lanes
// of dY are zero, so they add nothing. Each sum is over a fixed sequence of images and pixels, and
// threads take contiguous ranges of images and add their partial dW in a fixed order: results
// depend only on the thread count. AVX-512 only, and used where measured faster (see Suits);
// elsewhere F.Conv2d uses im2col + Gemm.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Kernels;

/// <summary>The weight gradient of 3×3 stride-1 convolutions, summed along pixels in vector accumulators (AVX-512).</summary>
internal static unsafe class ConvWeightGradient
{
    /// <summary>
    /// True for 3×3 kernels, stride 1, no dilation on a CPU with AVX-512, where measured faster than
    /// im2col + Gemm: output rows of at least 24 pixels and at least 8 input channels (MNIST's and
    /// CIFAR-10's full-size layers: 1.5× on 32→32 channels at 32×32). On 16×16 images the 8 filters' dY
    /// no longer stays in the L1 cache between kernel rows and the GEMM wins.
    /// </summary>
    public static bool Suits(int channels, in WindowGeometry g) =>
        Avx512F.IsSupported && g.KernelH == 3 && g.KernelW == 3 && g.StrideH == 1 && g.StrideW == 1
        && g.DilationH == 1 && g.DilationW == 1 && g.OutWidth >= 24 && channels >= 8;

    /// <summary>Vector steps per accumulation before the lanes are summed: enough that the sums cost little.</summary>
    private const int StepsPerSum = 256;

    /// <summary>dW (O, C·3·3) = Σₙ dYₙ ⋆ xₙ for x (N, C, H, W) and dY (N, O, outH, outW); dW is overwritten.</summary>
    public static void Compute(float[] x, float[] dy, int batch, int channels, in WindowGeometry g, int filters, float[] dw, int threads)
    {
        int outH = g.OutHeight, outW = g.OutWidth, runs = (outW + 15) / 16, rowWidth = runs * 16;
        int paddedH = outH + 2, paddedW = rowWidth + 2, groups = (filters + 7) / 8;
        int chunk = Math.Max(1, StepsPerSum / (outH * runs));                       // images per accumulation
        long work = (long)batch * filters * channels * 9 * outH * outW;
        int parts = threads <= 1 || batch < 2 || work < 1 << 18 ? 1 : Math.Min(threads, batch);
        var partials = new float[parts][];
        var geometry = g;

        void Range(int part)
        {
            int first = (int)((long)batch * part / parts), end = (int)((long)batch * (part + 1) / parts);
            var sum = part == 0 ? dw : partials[part] = new float[dw.Length];
            Array.Clear(sum);
            int xSize = channels * paddedH * paddedW, dySize = groups * 8 * outH * rowWidth;
            var xPadded = ArrayPool<float>.Shared.Rent(chunk * xSize + 16);
            var dyPadded = ArrayPool<float>.Shared.Rent(chunk * dySize);
            try
            {
                fixed (float* px = x, pdy = dy, pxp = xPadded, pdyp = dyPadded, pdw = sum)
                    for (int n0 = first; n0 < end; n0 += chunk)
                    {
                        int images = Math.Min(chunk, end - n0);
                        for (int m = 0; m < images; m++)
                        {
                            DirectConv.PadImage(px + (nint)(n0 + m) * channels * geometry.InputArea, channels, geometry, pxp + (nint)m * xSize, paddedH, paddedW);
                            PadGradient(pdy + (nint)(n0 + m) * filters * outH * outW, filters, groups * 8, outH, outW, pdyp + (nint)m * dySize, rowWidth);
                        }
                        for (int group = 0; group < groups; group++)
                            for (int c = 0; c < channels; c++)
                                for (int p = 0; p < 3; p++)
                                    Tile(pxp + ((nint)c * paddedH + p) * paddedW, xSize, paddedW,
                                        pdyp + (nint)group * 8 * outH * rowWidth, dySize, outH * rowWidth, rowWidth,
                                        images, outH, runs, pdw + ((nint)group * 8 * channels + c) * 9 + p * 3, channels * 9,
                                        Math.Min(8, filters - group * 8));
                    }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(xPadded);
                ArrayPool<float>.Shared.Return(dyPadded);
            }
        }

        if (parts == 1) Range(0);
        else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, Range);
        for (int r = 1; r < parts; r++) System.Numerics.Tensors.TensorPrimitives.Add(dw, partials[r], dw);
    }

    /// <summary>
    /// 8 filters × the 3 taps of one kernel row of one channel: dw[f·ldw + q] += Σ over images, rows and
    /// runs of dY[f, i, j…j+15] · x[i + p, j + q … j + q + 15] (x already points at row p of the channel).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(float* x, int xImage, int xRow, float* dy, int dyImage, int dyFilter, int dyRow,
        int images, int outH, int runs, float* dw, int ldw, int rows)
    {
        Vector512<float> a00 = default, a01 = default, a02 = default, a10 = default, a11 = default, a12 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a30 = default, a31 = default, a32 = default;
        Vector512<float> a40 = default, a41 = default, a42 = default, a50 = default, a51 = default, a52 = default;
        Vector512<float> a60 = default, a61 = default, a62 = default, a70 = default, a71 = default, a72 = default;
        for (int m = 0; m < images; m++)
            for (int i = 0; i < outH; i++)
            {
                float* xr = x + (nint)m * xImage + (nint)i * xRow;
                float* d = dy + (nint)m * dyImage + (nint)i * dyRow;
                for (int j = 0; j < runs; j++, xr += 16, d += 16)
                {
                    Vector512<float> x0 = Vector512.Load(xr), x1 = Vector512.Load(xr + 1), x2 = Vector512.Load(xr + 2), g;
                    g = Vector512.Load(d); a00 = Avx512F.FusedMultiplyAdd(g, x0, a00); a01 = Avx512F.FusedMultiplyAdd(g, x1, a01); a02 = Avx512F.FusedMultiplyAdd(g, x2, a02);
                    g = Vector512.Load(d + dyFilter); a10 = Avx512F.FusedMultiplyAdd(g, x0, a10); a11 = Avx512F.FusedMultiplyAdd(g, x1, a11); a12 = Avx512F.FusedMultiplyAdd(g, x2, a12);
                    g = Vector512.Load(d + 2 * dyFilter); a20 = Avx512F.FusedMultiplyAdd(g, x0, a20); a21 = Avx512F.FusedMultiplyAdd(g, x1, a21); a22 = Avx512F.FusedMultiplyAdd(g, x2, a22);
                    g = Vector512.Load(d + 3 * dyFilter); a30 = Avx512F.FusedMultiplyAdd(g, x0, a30); a31 = Avx512F.FusedMultiplyAdd(g, x1, a31); a32 = Avx512F.FusedMultiplyAdd(g, x2, a32);
                    g = Vector512.Load(d + 4 * dyFilter); a40 = Avx512F.FusedMultiplyAdd(g, x0, a40); a41 = Avx512F.FusedMultiplyAdd(g, x1, a41); a42 = Avx512F.FusedMultiplyAdd(g, x2, a42);
                    g = Vector512.Load(d + 5 * dyFilter); a50 = Avx512F.FusedMultiplyAdd(g, x0, a50); a51 = Avx512F.FusedMultiplyAdd(g, x1, a51); a52 = Avx512F.FusedMultiplyAdd(g, x2, a52);
                    g = Vector512.Load(d + 6 * dyFilter); a60 = Avx512F.FusedMultiplyAdd(g, x0, a60); a61 = Avx512F.FusedMultiplyAdd(g, x1, a61); a62 = Avx512F.FusedMultiplyAdd(g, x2, a62);
                    g = Vector512.Load(d + 7 * dyFilter); a70 = Avx512F.FusedMultiplyAdd(g, x0, a70); a71 = Avx512F.FusedMultiplyAdd(g, x1, a71); a72 = Avx512F.FusedMultiplyAdd(g, x2, a72);
                }
            }
        Add(dw, 0, rows, a00, a01, a02);
        Add(dw, ldw, rows - 1, a10, a11, a12);
        Add(dw, 2 * ldw, rows - 2, a20, a21, a22);
        Add(dw, 3 * ldw, rows - 3, a30, a31, a32);
        Add(dw, 4 * ldw, rows - 4, a40, a41, a42);
        Add(dw, 5 * ldw, rows - 5, a50, a51, a52);
        Add(dw, 6 * ldw, rows - 6, a60, a61, a62);
        Add(dw, 7 * ldw, rows - 7, a70, a71, a72);
    }

    /// <summary>Adds the lane sums of one filter's three accumulators to dW, if that filter exists (rowsLeft &gt; 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* dw, nint offset, int rowsLeft, Vector512<float> q0, Vector512<float> q1, Vector512<float> q2)
    {
        if (rowsLeft <= 0) return;
        dw[offset] += Vector512.Sum(q0);
        dw[offset + 1] += Vector512.Sum(q1);
        dw[offset + 2] += Vector512.Sum(q2);
    }

    /// <summary>Copies dY (O, outH, outW) into (groups·8, outH, rowWidth), zeros past each row and for filters past O.</summary>
    private static void PadGradient(float* dy, int filters, int paddedFilters, int outH, int outW, float* padded, int rowWidth)
    {
        for (int o = 0; o < paddedFilters; o++)
            for (int i = 0; i < outH; i++)
            {
                var row = new Span<float>(padded + ((nint)o * outH + i) * rowWidth, rowWidth);
                if (o >= filters) { row.Clear(); continue; }
                new ReadOnlySpan<float>(dy + ((nint)o * outH + i) * outW, outW).CopyTo(row);
                row[outW..].Clear();
            }
    }
}
