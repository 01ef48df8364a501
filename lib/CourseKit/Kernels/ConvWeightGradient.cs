// ─────────────────────────────────────────────────────────────────────────────────────────────
// ConvWeightGradient: the weight gradient of a 3×3, stride-1 convolution, with channels as lanes.
//
//     dW[o, c, p, q] = Σₙ Σᵢ,ⱼ dY[n, o, i, j] · x[n, c, i + p − pad, j + q − pad]
//
// As a matrix product (dW = dY · columnsᵀ, F.Convolution.cs) the sum runs along pixels, which lie
// contiguous in both dY and the columns, while a GEMM micro-kernel wants the summed axis outermost,
// so both must be transposed first — copying that costs as much as the arithmetic. Here 16 input
// channels share one vector instead: each image is copied once into a zero-bordered buffer in which
// the 16 channels of a block sit side by side at every pixel ([block][row][column][16]). Then
//
//   for each block of 16 channels and each 3 filters o:
//     27 accumulators, acc[o][p, q] (16 lanes: the block's channels), kept over the whole image
//     for every output pixel (i, j):
//       g_o = dY[o, i, j] broadcast, for the 3 filters
//       for each tap (p, q): v = the 16 channels at padded pixel (i + p, j + q); acc[o][p, q] += g_o · v
//     add the accumulators to this thread's sums (the 16 lanes are 16 different weights: no lane sums)
//
// 9 aligned loads and 3 broadcasts feed 27 fused multiply-adds. Each weight's sum runs over images
// and pixels in a fixed order; threads take contiguous ranges of images and their sums are added in
// a fixed order, so results depend only on the thread count. AVX-512 only, and at least 16 channels
// (a last block of fewer than 16 is padded with zero channels); elsewhere F.Conv2d uses im2col + Gemm.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Kernels;

/// <summary>The weight gradient of 3×3 stride-1 convolutions with 16 input channels per vector (AVX-512).</summary>
internal static unsafe class ConvWeightGradient
{
    /// <summary>
    /// 3×3 kernels, stride 1, no dilation, on a CPU with AVX-512, with at least 16 channels and at least half
    /// of the last 16-channel block used (it is padded with zero channels). With 8 channels (MNIST's second
    /// layer) im2col + Gemm was as fast.
    /// </summary>
    public static bool Suits(int channels, in WindowGeometry g) =>
        Avx512F.IsSupported && g.KernelH == 3 && g.KernelW == 3 && g.StrideH == 1 && g.StrideW == 1
        && g.DilationH == 1 && g.DilationW == 1 && channels >= 16 && channels * 2 >= (channels + 15) / 16 * 16;

    /// <summary>dW (O, C·3·3) = Σₙ dYₙ ⋆ xₙ for x (N, C, H, W) and dY (N, O, outH, outW); dW is overwritten.</summary>
    public static void Compute(float[] x, float[] dy, int batch, int channels, in WindowGeometry g, int filters, float[] dw, int threads)
    {
        int outH = g.OutHeight, outW = g.OutWidth, paddedH = outH + 2, paddedW = outW + 2, blocks = (channels + 15) / 16;
        int blockSize = paddedH * paddedW * 16;
        long work = (long)batch * filters * channels * 9 * outH * outW;
        int parts = threads <= 1 || batch < 2 || work < 1 << 18 ? 1 : Math.Min(threads, batch);
        var sums = new float[parts][];                         // per thread: [o][block][tap][16 channels]
        var geometry = g;

        void Range(int part)
        {
            int first = (int)((long)batch * part / parts), end = (int)((long)batch * (part + 1) / parts);
            var sum = sums[part] = new float[filters * blocks * 9 * 16];
            var blocked = ArrayPool<float>.Shared.Rent(blocks * blockSize + 16);
            try
            {
                fixed (float* px = x, pdy = dy, pb = blocked, ps = sum)
                {
                    float* image = (float*)(((nint)pb + 63) & ~(nint)63);         // 64-byte aligned: every pixel's 16 channels in one cache line
                    for (int n = first; n < end; n++)
                    {
                        Block(px + (nint)n * channels * geometry.InputArea, channels, geometry, image, paddedH, paddedW);
                        float* dyImage = pdy + (nint)n * filters * outH * outW;
                        for (int b = 0; b < blocks; b++)
                            for (int o = 0; o < filters; o += 3)
                            {
                                int o1 = Math.Min(o + 1, filters - 1), o2 = Math.Min(o + 2, filters - 1);   // a last, short group repeats its last filter
                                Tile(image + (nint)b * blockSize, paddedW, dyImage + (nint)o * outH * outW, dyImage + (nint)o1 * outH * outW,
                                    dyImage + (nint)o2 * outH * outW, outH, outW,
                                    ps + ((nint)o * blocks + b) * 144, ps + ((nint)o1 * blocks + b) * 144, ps + ((nint)o2 * blocks + b) * 144,
                                    filters - o);
                            }
                    }
                }
            }
            finally { ArrayPool<float>.Shared.Return(blocked); }
        }

        if (parts == 1) Range(0);
        else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, Range);
        for (int r = 1; r < parts; r++) System.Numerics.Tensors.TensorPrimitives.Add(sums[0], sums[r], sums[0]);
        // [o][block][tap][lane] → dW[o][c = 16·block + lane][tap]
        var total = sums[0];
        for (int o = 0; o < filters; o++)
            for (int b = 0; b < blocks; b++)
                for (int t = 0; t < 9; t++)
                    for (int l = 0; l < Math.Min(16, channels - b * 16); l++)
                        dw[(o * channels + b * 16 + l) * 9 + t] = total[((o * blocks + b) * 9 + t) * 16 + l];
    }

    /// <summary>
    /// Up to 3 filters × the 9 taps, 16 channels per vector, over one image: sum_o[t·16 + l] += Σᵢ,ⱼ dY_o[i, j] ·
    /// image[i + p, j + q][l] for tap t = 3p + q. <paramref name="count"/> &lt; 3 leaves the repeated filters' sums alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(float* image, int paddedW, float* dy0, float* dy1, float* dy2, int outH, int outW,
        float* sum0, float* sum1, float* sum2, int count)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default, a8 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default, b8 = default;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default;
        nint row = (nint)paddedW * 16;
        for (int i = 0; i < outH; i++)
        {
            float* r0 = image + i * row, r1 = r0 + row, r2 = r1 + row;
            float* d0 = dy0 + i * outW, d1 = dy1 + i * outW, d2 = dy2 + i * outW;
            for (int j = 0; j < outW; j++, r0 += 16, r1 += 16, r2 += 16)
            {
                Vector512<float> g0 = Vector512.Create(d0[j]), g1 = Vector512.Create(d1[j]), g2 = Vector512.Create(d2[j]), v;
                v = Vector512.LoadAligned(r0); a0 = Avx512F.FusedMultiplyAdd(g0, v, a0); b0 = Avx512F.FusedMultiplyAdd(g1, v, b0); c0 = Avx512F.FusedMultiplyAdd(g2, v, c0);
                v = Vector512.LoadAligned(r0 + 16); a1 = Avx512F.FusedMultiplyAdd(g0, v, a1); b1 = Avx512F.FusedMultiplyAdd(g1, v, b1); c1 = Avx512F.FusedMultiplyAdd(g2, v, c1);
                v = Vector512.LoadAligned(r0 + 32); a2 = Avx512F.FusedMultiplyAdd(g0, v, a2); b2 = Avx512F.FusedMultiplyAdd(g1, v, b2); c2 = Avx512F.FusedMultiplyAdd(g2, v, c2);
                v = Vector512.LoadAligned(r1); a3 = Avx512F.FusedMultiplyAdd(g0, v, a3); b3 = Avx512F.FusedMultiplyAdd(g1, v, b3); c3 = Avx512F.FusedMultiplyAdd(g2, v, c3);
                v = Vector512.LoadAligned(r1 + 16); a4 = Avx512F.FusedMultiplyAdd(g0, v, a4); b4 = Avx512F.FusedMultiplyAdd(g1, v, b4); c4 = Avx512F.FusedMultiplyAdd(g2, v, c4);
                v = Vector512.LoadAligned(r1 + 32); a5 = Avx512F.FusedMultiplyAdd(g0, v, a5); b5 = Avx512F.FusedMultiplyAdd(g1, v, b5); c5 = Avx512F.FusedMultiplyAdd(g2, v, c5);
                v = Vector512.LoadAligned(r2); a6 = Avx512F.FusedMultiplyAdd(g0, v, a6); b6 = Avx512F.FusedMultiplyAdd(g1, v, b6); c6 = Avx512F.FusedMultiplyAdd(g2, v, c6);
                v = Vector512.LoadAligned(r2 + 16); a7 = Avx512F.FusedMultiplyAdd(g0, v, a7); b7 = Avx512F.FusedMultiplyAdd(g1, v, b7); c7 = Avx512F.FusedMultiplyAdd(g2, v, c7);
                v = Vector512.LoadAligned(r2 + 32); a8 = Avx512F.FusedMultiplyAdd(g0, v, a8); b8 = Avx512F.FusedMultiplyAdd(g1, v, b8); c8 = Avx512F.FusedMultiplyAdd(g2, v, c8);
            }
        }
        Add(sum0, a0, a1, a2, a3, a4, a5, a6, a7, a8);
        if (count > 1) Add(sum1, b0, b1, b2, b3, b4, b5, b6, b7, b8);
        if (count > 2) Add(sum2, c0, c1, c2, c3, c4, c5, c6, c7, c8);
    }

    /// <summary>sum[t·16 …] += the nine taps' vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* sum, Vector512<float> t0, Vector512<float> t1, Vector512<float> t2, Vector512<float> t3,
        Vector512<float> t4, Vector512<float> t5, Vector512<float> t6, Vector512<float> t7, Vector512<float> t8)
    {
        Vector512.Store(Vector512.Load(sum) + t0, sum); Vector512.Store(Vector512.Load(sum + 16) + t1, sum + 16);
        Vector512.Store(Vector512.Load(sum + 32) + t2, sum + 32); Vector512.Store(Vector512.Load(sum + 48) + t3, sum + 48);
        Vector512.Store(Vector512.Load(sum + 64) + t4, sum + 64); Vector512.Store(Vector512.Load(sum + 80) + t5, sum + 80);
        Vector512.Store(Vector512.Load(sum + 96) + t6, sum + 96); Vector512.Store(Vector512.Load(sum + 112) + t7, sum + 112);
        Vector512.Store(Vector512.Load(sum + 128) + t8, sum + 128);
    }

    /// <summary>
    /// Copies one image (C, H, W) into [⌈C/16⌉][paddedH][paddedW][16]: padded pixel (r, s) of block b holds
    /// channels 16b … 16b + 15 of pixel (r − padTop, s − padLeft), zeros where that is outside the image (and for
    /// channels past C). WinogradWeightGradient uses it too.
    /// </summary>
    internal static void Block(float* image, int channels, in WindowGeometry g, float* blocked, int paddedH, int paddedW)
    {
        new Span<float>(blocked, (channels + 15) / 16 * 16 * paddedH * paddedW).Clear();
        int from = Math.Max(0, g.PadLeft), to = Math.Min(paddedW, g.Width + g.PadLeft), plane = g.Height * g.Width;
        for (int b = 0; b < (channels + 15) / 16; b++)
        {
            int count = Math.Min(16, channels - b * 16);
            for (int r = 0; r < paddedH; r++)
            {
                int source = r - g.PadTop;
                if ((uint)source >= (uint)g.Height) continue;
                float* src = image + ((nint)b * 16 * g.Height + source) * g.Width - g.PadLeft;   // src[l·plane + s]: channel 16b + l, padded column s
                float* dst = blocked + ((nint)b * paddedH + r) * paddedW * 16;
                int s = from;
                if (count == 16)
                    for (; s + 16 <= to; s += 16) Transpose16(src + s, plane, dst + s * 16);
                for (; s < to; s++)
                    for (int l = 0; l < count; l++) dst[s * 16 + l] = src[(nint)l * plane + s];
            }
        }
    }

    /// <summary>
    /// The 16×16 transpose: dst[16j + l] = src[l·stride + j] — 16 pixels of 16 channel rows become 16 pixels of
    /// 16 channels each. Interleave pairs of rows (32-bit, then 64-bit), then swap 128-bit quarters.
    /// </summary>
    private static void Transpose16(float* src, int stride, float* dst)
    {
        var t = stackalloc Vector512<float>[16];
        for (int i = 0; i < 16; i += 2)
        {
            Vector512<float> a = Vector512.Load(src + (nint)i * stride), b = Vector512.Load(src + (nint)(i + 1) * stride);
            t[i] = Avx512F.UnpackLow(a, b);                              // per quarter: a0 b0 a1 b1
            t[i + 1] = Avx512F.UnpackHigh(a, b);                         //              a2 b2 a3 b3
        }
        var u = stackalloc Vector512<float>[16];
        for (int i = 0; i < 16; i += 4)
        {
            Vector512<double> t0 = t[i].AsDouble(), t1 = t[i + 1].AsDouble(), t2 = t[i + 2].AsDouble(), t3 = t[i + 3].AsDouble();
            u[i] = Avx512F.UnpackLow(t0, t2).AsSingle();                 // quarter k: rows i … i+3 of column 4k
            u[i + 1] = Avx512F.UnpackHigh(t0, t2).AsSingle();            // … of column 4k + 1
            u[i + 2] = Avx512F.UnpackLow(t1, t3).AsSingle();             // … 4k + 2
            u[i + 3] = Avx512F.UnpackHigh(t1, t3).AsSingle();            // … 4k + 3
        }
        for (int m = 0; m < 4; m++)                                      // gather quarter k of u[m], u[4+m], u[8+m], u[12+m]
        {
            var v0 = Avx512F.Shuffle4x128(u[m], u[4 + m], 0x44); var v1 = Avx512F.Shuffle4x128(u[m], u[4 + m], 0xEE);
            var v2 = Avx512F.Shuffle4x128(u[8 + m], u[12 + m], 0x44); var v3 = Avx512F.Shuffle4x128(u[8 + m], u[12 + m], 0xEE);
            Vector512.Store(Avx512F.Shuffle4x128(v0, v2, 0x88), dst + m * 16);
            Vector512.Store(Avx512F.Shuffle4x128(v0, v2, 0xDD), dst + (4 + m) * 16);
            Vector512.Store(Avx512F.Shuffle4x128(v1, v3, 0x88), dst + (8 + m) * 16);
            Vector512.Store(Avx512F.Shuffle4x128(v1, v3, 0xDD), dst + (12 + m) * 16);
        }
    }
}
