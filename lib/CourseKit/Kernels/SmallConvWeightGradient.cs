// ─────────────────────────────────────────────────────────────────────────────────────────────
// SmallConvWeightGradient: the weight gradient of a stride-1 convolution with few input channels,
// with output pixels as lanes.
//
//     dW[o, c, p, q] = Σₙ Σᵢ,ⱼ dY[n, o, i, j] · x[n, c, i + p − pad, j + q − pad]
//
// With one to a few input channels (the first layers of MNIST and CIFAR networks) there are too few
// channels to fill a vector (ConvWeightGradient.cs) and the matrix product dY · columnsᵀ is long and
// thin: its sum runs along the pixels, so its inputs must be transposed first, which costs as much as
// the arithmetic. Here the 16 lanes of a vector are 16 neighbouring output pixels instead, and each
// lane keeps its own partial sum of the product; the 16 lanes are added only once, at the very end.
//
// Each image is copied into a zero-bordered buffer whose rows are S = outW + kW − 1 floats long, and
// dY into a buffer with the same row length, zeros in the kW − 1 columns past the end of each row.
// Number the output pixels m = i·S + j along these long rows. Then the input that tap (c, p, q) pairs
// with pixel m is at m + p·S + q of channel c's bordered plane: for 16 pixels m … m + 15 that is one
// vector load, whatever rows the 16 pixels fall in (the pixels j ≥ outW have dY = 0 and add nothing).
// When outW is a multiple of 16 (CIFAR's 32), dY's own rows are already whole vectors: they are read
// in place, row by row, pixel (i, j) pairing with x at i·S + j + p·S + q, and only the images are copied.
//
//   for each chunk of images (a chunk: one group's dY and one channel's planes fit in 32 KB of cache):
//     copy the images into their bordered buffers (and dY, unless read in place)
//     for each group of G filters, each input channel c and each kernel row p:
//       G·kW accumulators acc[o][q] (lanes: 16 pixels), kept over the whole chunk
//       for every run of 16 pixels m of every image in the chunk:
//         load the kW inputs x[c, m + p·S + q … + 15], q = 0 … kW − 1
//         for each filter o: load dY[o, m … m + 15] and acc[o][q] += dY · x for every q
//       add the accumulators to this thread's sums (still 16 lanes per weight)
//   add the threads' sums in order, then each weight's 16 lanes
//
// kW loads and G loads feed G·kW fused multiply-adds (3 + 8 loads for 24 with 3-wide kernels, 5 + 5
// for 25 with 5-wide ones), all from the level-1 cache after a group's first pass, so the loop is
// limited by the multiplications, not by memory. The buffers' borders and the zero columns of dY are
// cleared once per thread: copying an image writes only its pixels. Each group's
// code is compiled for its filter count (a type argument), so no accumulators are wasted when the
// filters do not divide into full groups. Threads take contiguous ranges of images and their sums are
// added in a fixed order, so results depend only on the thread count. AVX-512, stride 1, no dilation.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Kernels;

/// <summary>The weight gradient of stride-1 convolutions with few input channels, 16 output pixels per vector (AVX-512).</summary>
internal static unsafe class SmallConvWeightGradient
{
    /// <summary>
    /// Floats of one group's dY and one channel's bordered planes per chunk of images: 32 KB, so that the passes for
    /// every (c, p) after the first find them in the level-1 cache.
    /// </summary>
    private const int ChunkFloats = 1 << 13;

    /// <summary>
    /// Stride 1, no dilation, kernels 3 or 5 wide (any height), on a CPU with AVX-512, where measured faster than
    /// im2col + Gemm (batch 64, 1 and 2 threads): fewer than 16 input channels, at most 32 filters, and output rows
    /// at least 2·(kW − 1) pixels long. MNIST's and LeNet's layers and CIFAR's first run 2–6× faster; from 64
    /// filters on, Gemm's larger blocks win, and on shorter rows a third or more of the lanes would hold zeros.
    /// </summary>
    public static bool Suits(int channels, int filters, in WindowGeometry g) =>
        Avx512F.IsSupported && g.StrideH == 1 && g.StrideW == 1 && g.DilationH == 1 && g.DilationW == 1
        && (g.KernelW == 3 || g.KernelW == 5) && channels < 16 && filters <= 32 && g.OutWidth >= 2 * (g.KernelW - 1);

    /// <summary>dW (O, C, kH, kW) = Σₙ dYₙ ⋆ xₙ for x (N, C, H, W) and dY (N, O, outH, outW); dW is overwritten.</summary>
    public static void Compute(float[] x, float[] dy, int batch, int channels, in WindowGeometry g, int filters, float[] dw, int threads)
    {
        int kh = g.KernelH, kw = g.KernelW, taps = kh * kw, outH = g.OutHeight, outW = g.OutWidth, area = outH * outW;
        int rowLength = outW + kw - 1;                                         // S
        bool copyGradient = outW % 16 != 0;                                    // else dY's own rows are whole vectors
        int pixels = (outH * rowLength + 15) / 16 * 16;                        // pixels m of one copied dY plane, whole vectors
        int plane = (pixels + (kh - 1) * rowLength + kw - 1 + 15) / 16 * 16;   // one bordered input plane: every load m + p·S + q inside
        int imageFloats = channels * plane, gradientFloats = copyGradient ? filters * pixels : 0;
        int maxGroup = kw == 3 ? 8 : 5, groups = (filters + maxGroup - 1) / maxGroup;
        int sumFloats = filters * channels * taps * 16;                        // [o][c][p][q][16 lanes]

        long work = (long)batch * filters * channels * taps * area;
        int parts = threads <= 1 || batch < 2 || work < 1 << 18 ? 1 : Math.Min(threads, batch);
        var sums = new float[parts][];
        var geometry = g;

        void Range(int part)
        {
            int first = (int)((long)batch * part / parts), end = (int)((long)batch * (part + 1) / parts);
            int chunk = Math.Clamp(ChunkFloats / ((filters + groups - 1) / groups * (copyGradient ? pixels : area) + plane), 1, end - first);
            var sum = sums[part] = new float[sumFloats];
            var buffer = ArrayPool<float>.Shared.Rent(chunk * (imageFloats + gradientFloats) + 16);
            try
            {
                fixed (float* px = x, pdy = dy, pb = buffer, ps = sum)
                {
                    // 64-byte aligned; borders and the columns past each dY row are zeroed once and never written again.
                    float* images = (float*)(((nint)pb + 63) & ~(nint)63), gradients = images + (nint)chunk * imageFloats;
                    new Span<float>(images, chunk * (imageFloats + gradientFloats)).Clear();
                    // Copied dY: one long row of whole vectors per image and filter. dY itself: outH rows of outW, x's rows S apart.
                    var walk = copyGradient
                        ? new Walk(0, imageFloats, gradientFloats, 1, 0, 0, pixels, pixels, channels * taps * 16)
                        : new Walk(0, imageFloats, (nint)filters * area, outH, rowLength, outW, outW, area, channels * taps * 16);
                    for (int n0 = first; n0 < end; n0 += chunk)
                    {
                        walk = walk with { Images = Math.Min(chunk, end - n0) };
                        float* dyChunk = copyGradient ? gradients : pdy + (nint)n0 * filters * area;
                        for (int k = 0; k < walk.Images; k++)
                        {
                            CopyImage(px + (nint)(n0 + k) * channels * geometry.InputArea, channels, geometry, images + (nint)k * imageFloats, plane, rowLength);
                            if (copyGradient)
                                CopyGradient(pdy + (nint)(n0 + k) * filters * area, filters, outH, outW, gradients + (nint)k * gradientFloats, pixels, rowLength);
                        }
                        for (int group = 0; group < groups; group++)
                        {
                            int o0 = filters * group / groups, size = filters * (group + 1) / groups - o0;
                            for (int c = 0; c < channels; c++)
                                for (int p = 0; p < kh; p++)
                                {
                                    float* xRow = images + (nint)c * plane + (nint)p * rowLength, dyGroup = dyChunk + o0 * walk.DyFilter;
                                    float* sumRow = ps + (((nint)o0 * channels + c) * kh + p) * kw * 16;
                                    if (kw == 3) Row3(size, xRow, dyGroup, sumRow, walk);
                                    else Row5(size, xRow, dyGroup, sumRow, walk);
                                }
                        }
                    }
                }
            }
            finally { ArrayPool<float>.Shared.Return(buffer); }
        }

        if (parts == 1) Range(0);
        else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, Range);
        for (int r = 1; r < parts; r++) System.Numerics.Tensors.TensorPrimitives.Add(sums[0], sums[r], sums[0]);
        for (int weight = 0; weight < dw.Length; weight++)                    // [o][c][p][q][16 lanes] → dW[o][c][p][q]
            dw[weight] = System.Numerics.Tensors.TensorPrimitives.Sum(new ReadOnlySpan<float>(sums[0], weight * 16, 16));
    }

    /// <summary>
    /// How a tile walks a chunk of images: for each of <see cref="Images"/> images (x and dY <see cref="XImage"/> and
    /// <see cref="DyImage"/> floats apart), <see cref="Rows"/> rows (<see cref="XRow"/> and <see cref="DyRow"/> apart) of
    /// <see cref="Width"/> pixels, a multiple of 16. A group's filters have dY planes <see cref="DyFilter"/> floats apart
    /// and lane sums <see cref="SumFilter"/> apart.
    /// </summary>
    private readonly record struct Walk(int Images, nint XImage, nint DyImage, int Rows, nint XRow, nint DyRow, nint Width, nint DyFilter, nint SumFilter);

    /// <summary>A filter count fixed when the JIT compiles a tile: each count gets its own code with only its accumulators.</summary>
    private interface IFilters { static abstract int Count { get; } }
    private readonly struct One : IFilters { public static int Count => 1; }
    private readonly struct Two : IFilters { public static int Count => 2; }
    private readonly struct Three : IFilters { public static int Count => 3; }
    private readonly struct Four : IFilters { public static int Count => 4; }
    private readonly struct Five : IFilters { public static int Count => 5; }
    private readonly struct Six : IFilters { public static int Count => 6; }
    private readonly struct Seven : IFilters { public static int Count => 7; }
    private readonly struct Eight : IFilters { public static int Count => 8; }

    /// <summary>Runs <see cref="Tile3{T}"/> compiled for <paramref name="filters"/> (1 … 8) filters.</summary>
    private static void Row3(int filters, float* x, float* dy, float* sum, in Walk walk)
    {
        switch (filters)
        {
            case 1: Tile3<One>(x, dy, sum, walk); break;
            case 2: Tile3<Two>(x, dy, sum, walk); break;
            case 3: Tile3<Three>(x, dy, sum, walk); break;
            case 4: Tile3<Four>(x, dy, sum, walk); break;
            case 5: Tile3<Five>(x, dy, sum, walk); break;
            case 6: Tile3<Six>(x, dy, sum, walk); break;
            case 7: Tile3<Seven>(x, dy, sum, walk); break;
            default: Tile3<Eight>(x, dy, sum, walk); break;
        }
    }

    /// <summary>Runs <see cref="Tile5{T}"/> compiled for <paramref name="filters"/> (1 … 5) filters.</summary>
    private static void Row5(int filters, float* x, float* dy, float* sum, in Walk walk)
    {
        switch (filters)
        {
            case 1: Tile5<One>(x, dy, sum, walk); break;
            case 2: Tile5<Two>(x, dy, sum, walk); break;
            case 3: Tile5<Three>(x, dy, sum, walk); break;
            case 4: Tile5<Four>(x, dy, sum, walk); break;
            default: Tile5<Five>(x, dy, sum, walk); break;
        }
    }

    /// <summary>
    /// A 3-wide kernel row for T.Count ≤ 8 filters: sum_o[q·16 + l] += Σ dY_o[m + l] · x[m + l + q], summed over the
    /// runs of 16 pixels m of every row of every image on <paramref name="walk"/> (x already at kernel row p of channel c).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile3<T>(float* x, float* dy, float* sum, in Walk walk) where T : struct, IFilters
    {
        int f = T.Count;
        Vector512<float> a00 = default, a01 = default, a02 = default, a10 = default, a11 = default, a12 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a30 = default, a31 = default, a32 = default;
        Vector512<float> a40 = default, a41 = default, a42 = default, a50 = default, a51 = default, a52 = default;
        Vector512<float> a60 = default, a61 = default, a62 = default, a70 = default, a71 = default, a72 = default;
        nint width = walk.Width, next = walk.DyFilter;
        for (int k = 0; k < walk.Images; k++)
            for (int i = 0; i < walk.Rows; i++)
            {
                float* xs = x + k * walk.XImage + i * walk.XRow, d0 = dy + k * walk.DyImage + i * walk.DyRow;
                float* d1 = d0 + next, d2 = d1 + next, d3 = d2 + next, d4 = d3 + next, d5 = d4 + next, d6 = d5 + next, d7 = d6 + next;
                for (nint m = 0; m < width; m += 16)
                {
                    Vector512<float> x0 = Vector512.Load(xs + m), x1 = Vector512.Load(xs + m + 1), x2 = Vector512.Load(xs + m + 2), g;
                    g = Vector512.Load(d0 + m); a00 = Fma(g, x0, a00); a01 = Fma(g, x1, a01); a02 = Fma(g, x2, a02);
                    if (f > 1) { g = Vector512.Load(d1 + m); a10 = Fma(g, x0, a10); a11 = Fma(g, x1, a11); a12 = Fma(g, x2, a12); }
                    if (f > 2) { g = Vector512.Load(d2 + m); a20 = Fma(g, x0, a20); a21 = Fma(g, x1, a21); a22 = Fma(g, x2, a22); }
                    if (f > 3) { g = Vector512.Load(d3 + m); a30 = Fma(g, x0, a30); a31 = Fma(g, x1, a31); a32 = Fma(g, x2, a32); }
                    if (f > 4) { g = Vector512.Load(d4 + m); a40 = Fma(g, x0, a40); a41 = Fma(g, x1, a41); a42 = Fma(g, x2, a42); }
                    if (f > 5) { g = Vector512.Load(d5 + m); a50 = Fma(g, x0, a50); a51 = Fma(g, x1, a51); a52 = Fma(g, x2, a52); }
                    if (f > 6) { g = Vector512.Load(d6 + m); a60 = Fma(g, x0, a60); a61 = Fma(g, x1, a61); a62 = Fma(g, x2, a62); }
                    if (f > 7) { g = Vector512.Load(d7 + m); a70 = Fma(g, x0, a70); a71 = Fma(g, x1, a71); a72 = Fma(g, x2, a72); }
                }
            }
        Add(sum, a00, a01, a02);
        if (f > 1) Add(sum + walk.SumFilter, a10, a11, a12);
        if (f > 2) Add(sum + 2 * walk.SumFilter, a20, a21, a22);
        if (f > 3) Add(sum + 3 * walk.SumFilter, a30, a31, a32);
        if (f > 4) Add(sum + 4 * walk.SumFilter, a40, a41, a42);
        if (f > 5) Add(sum + 5 * walk.SumFilter, a50, a51, a52);
        if (f > 6) Add(sum + 6 * walk.SumFilter, a60, a61, a62);
        if (f > 7) Add(sum + 7 * walk.SumFilter, a70, a71, a72);
    }

    /// <summary>
    /// A 5-wide kernel row for T.Count ≤ 5 filters: sum_o[q·16 + l] += Σ dY_o[m + l] · x[m + l + q], summed over the
    /// runs of 16 pixels m of every row of every image on <paramref name="walk"/> (x already at kernel row p of channel c).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile5<T>(float* x, float* dy, float* sum, in Walk walk) where T : struct, IFilters
    {
        int f = T.Count;
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default, a14 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default, a24 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default, a34 = default;
        Vector512<float> a40 = default, a41 = default, a42 = default, a43 = default, a44 = default;
        nint width = walk.Width, next = walk.DyFilter;
        for (int k = 0; k < walk.Images; k++)
            for (int i = 0; i < walk.Rows; i++)
            {
                float* xs = x + k * walk.XImage + i * walk.XRow, d0 = dy + k * walk.DyImage + i * walk.DyRow;
                float* d1 = d0 + next, d2 = d1 + next, d3 = d2 + next, d4 = d3 + next;
                for (nint m = 0; m < width; m += 16)
                {
                    Vector512<float> x0 = Vector512.Load(xs + m), x1 = Vector512.Load(xs + m + 1), x2 = Vector512.Load(xs + m + 2);
                    Vector512<float> x3 = Vector512.Load(xs + m + 3), x4 = Vector512.Load(xs + m + 4), g;
                    g = Vector512.Load(d0 + m);
                    a00 = Fma(g, x0, a00); a01 = Fma(g, x1, a01); a02 = Fma(g, x2, a02); a03 = Fma(g, x3, a03); a04 = Fma(g, x4, a04);
                    if (f > 1)
                    {
                        g = Vector512.Load(d1 + m);
                        a10 = Fma(g, x0, a10); a11 = Fma(g, x1, a11); a12 = Fma(g, x2, a12); a13 = Fma(g, x3, a13); a14 = Fma(g, x4, a14);
                    }
                    if (f > 2)
                    {
                        g = Vector512.Load(d2 + m);
                        a20 = Fma(g, x0, a20); a21 = Fma(g, x1, a21); a22 = Fma(g, x2, a22); a23 = Fma(g, x3, a23); a24 = Fma(g, x4, a24);
                    }
                    if (f > 3)
                    {
                        g = Vector512.Load(d3 + m);
                        a30 = Fma(g, x0, a30); a31 = Fma(g, x1, a31); a32 = Fma(g, x2, a32); a33 = Fma(g, x3, a33); a34 = Fma(g, x4, a34);
                    }
                    if (f > 4)
                    {
                        g = Vector512.Load(d4 + m);
                        a40 = Fma(g, x0, a40); a41 = Fma(g, x1, a41); a42 = Fma(g, x2, a42); a43 = Fma(g, x3, a43); a44 = Fma(g, x4, a44);
                    }
                }
            }
        Add(sum, a00, a01, a02, a03, a04);
        if (f > 1) Add(sum + walk.SumFilter, a10, a11, a12, a13, a14);
        if (f > 2) Add(sum + 2 * walk.SumFilter, a20, a21, a22, a23, a24);
        if (f > 3) Add(sum + 3 * walk.SumFilter, a30, a31, a32, a33, a34);
        if (f > 4) Add(sum + 4 * walk.SumFilter, a40, a41, a42, a43, a44);
    }

    /// <summary>a · b + c, rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);

    /// <summary>sum[q·16 …] += the three taps' lane sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* sum, Vector512<float> t0, Vector512<float> t1, Vector512<float> t2)
    {
        Vector512.Store(Vector512.Load(sum) + t0, sum);
        Vector512.Store(Vector512.Load(sum + 16) + t1, sum + 16);
        Vector512.Store(Vector512.Load(sum + 32) + t2, sum + 32);
    }

    /// <summary>sum[q·16 …] += the five taps' lane sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* sum, Vector512<float> t0, Vector512<float> t1, Vector512<float> t2, Vector512<float> t3, Vector512<float> t4)
    {
        Add(sum, t0, t1, t2);
        Vector512.Store(Vector512.Load(sum + 48) + t3, sum + 48);
        Vector512.Store(Vector512.Load(sum + 64) + t4, sum + 64);
    }

    /// <summary>
    /// Copies one image (C, H, W) into C bordered planes of <paramref name="plane"/> floats with rows
    /// <paramref name="rowLength"/> long: row r, column s holds pixel (r − padTop, s − padLeft). Only pixels
    /// inside the image are written; the border must already be zero.
    /// </summary>
    private static void CopyImage(float* image, int channels, in WindowGeometry g, float* bordered, int plane, int rowLength)
    {
        int from = Math.Max(0, g.PadLeft), to = Math.Min(rowLength, g.Width + g.PadLeft);   // columns that hold image pixels
        int top = Math.Max(0, g.PadTop), bottom = Math.Min(g.OutHeight + g.KernelH - 1, g.Height + g.PadTop);
        if (from >= to || top >= bottom) return;
        for (int c = 0; c < channels; c++)
            CopyRows(image + ((nint)c * g.Height + top - g.PadTop) * g.Width + (from - g.PadLeft), g.Width, bottom - top, to - from,
                bordered + (nint)c * plane + (nint)top * rowLength + from, rowLength);
    }

    /// <summary>
    /// Copies one image's dY (O, outH, outW) into O planes of <paramref name="pixels"/> floats with rows
    /// <paramref name="rowLength"/> long. Only the outW columns of each row are written; the rest must already be zero.
    /// </summary>
    private static void CopyGradient(float* dy, int filters, int outH, int outW, float* padded, int pixels, int rowLength)
    {
        for (int o = 0; o < filters; o++)
            CopyRows(dy + (nint)o * outH * outW, outW, outH, outW, padded + (nint)o * pixels, rowLength);
    }

    /// <summary>
    /// Copies <paramref name="rows"/> rows of <paramref name="width"/> floats, <paramref name="sourceStride"/> and
    /// <paramref name="targetStride"/> floats apart, touching nothing outside them: rows here are short (10–32 floats),
    /// so whole vectors and masked 8-float loads and stores for the rest beat a memory copy per row.
    /// </summary>
    private static void CopyRows(float* source, int sourceStride, int rows, int width, float* target, int targetStride)
    {
        int whole = width / 16 * 16, rest = width - whole;
        var lane = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
        Vector256<float> low = Vector256.LessThan(lane, Vector256.Create((float)rest)),
            high = Vector256.LessThan(lane, Vector256.Create((float)(rest - 8)));    // lanes to copy of the two halves of the rest
        for (int r = 0; r < rows; r++, source += sourceStride, target += targetStride)
        {
            for (int s = 0; s < whole; s += 16) Vector512.Store(Vector512.Load(source + s), target + s);
            if (rest == 0) continue;
            Avx.MaskStore(target + whole, low, Avx.MaskLoad(source + whole, low));
            if (rest > 8) Avx.MaskStore(target + whole + 8, high, Avx.MaskLoad(source + whole + 8, high));
        }
    }
}
