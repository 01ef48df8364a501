// ─────────────────────────────────────────────────────────────────────────────────────────────
// ImplicitGemmConv: a convolution as one matrix multiply, without ever writing the columns matrix.
//
// Im2Col.cs explains the maths: y = W · columns, with one row of `columns` per filter tap and one
// column per output pixel. Writing the whole columns matrix and then handing it to a general GEMM
// touches every value three times (im2col writes it, GEMM packing reads and rewrites it, the
// micro-kernel reads it). Here the packing step reads the image directly:
//
//   for each sliver of NR output pixels of one image:            ── a tile column of y
//     gather its columns: K = C·kH·kW rows of NR values          ── straight from the image (L1/L2)
//     for each group of MR filters:                              ── weights packed once per call
//       micro-kernel: y[MR filters × NR pixels] = act(b + W·cols) over all K at once
//
// * All K steps run with the tile in registers, so every output is written exactly once, with the
//   bias added before the sum and (optionally) ReLU applied on the way out: y = max(0, b + Σ w·x).
// * Slivers never cross images, so a tile's outputs are NR consecutive pixels of one output plane.
// * Threads take contiguous ranges of slivers; each output is one dot product in a fixed order, so
//   results are bit-identical for any number of threads.
// * Tiles: 8 filters × 32 pixels in 16 zmm accumulators with AVX-512, 4 × 16 in 8 ymm with AVX2.
//   Without AVX2 the caller uses im2col + Gemm instead (see F.Convolution.cs).
// * The input gradient of a stride-1 convolution is itself a convolution — of dY with the filters
//   turned by 180° and their in/out channels swapped — so the backward pass uses this kernel too
//   (F.Convolution.cs, FlippedWeights).
// * The gathering of columns (im2col of a few pixels at a time) is Im2Col.Gather.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Kernels;

/// <summary>Direct (implicit-GEMM) convolution kernels: y = act(b + W ⊛ x) without a columns matrix.</summary>
internal static unsafe class ImplicitGemmConv
{
    /// <summary>True on CPUs with AVX2 + FMA; elsewhere F.Conv2d uses im2col + <see cref="Gemm"/>.</summary>
    public static bool IsSupported => Gemm.BestKernel >= Gemm.Kernel.Avx2;

    /// <summary>
    /// Whether a convolution with this many filters is faster here than with im2col + Gemm: with fewer
    /// than 8 filters most of each register tile would be padding (measured: LeNet's 6 filters).
    /// </summary>
    public static bool Suits(int filters) => IsSupported && filters >= 8;

    /// <summary>
    /// Whether the input gradient of a convolution with this many input channels is faster as a flipped
    /// convolution than as Wᵀ·dY + col2im: stride 1 only, and at least 16 channels (the flipped
    /// convolution's filters) — measured on MNIST and CIFAR layer sizes.
    /// </summary>
    public static bool SuitsInputGradient(int channels, in WindowGeometry g) =>
        IsSupported && g.StrideH == 1 && g.StrideW == 1 && channels >= 16;

    private static readonly bool Wide = Gemm.BestKernel == Gemm.Kernel.Avx512;

    /// <summary>Filters per register tile.</summary>
    private static readonly int MR = Wide ? 8 : 4;

    /// <summary>Output pixels per register tile.</summary>
    private static readonly int NR = Wide ? 32 : 16;

    /// <summary>Below this many multiply-adds in total a call runs on the calling thread.</summary>
    private const long ParallelWork = 1 << 18;

    /// <summary>
    /// y[n, o, pixel] = act(b[o] + Σ_k w[o, k] · columnsₙ[k, pixel]) for a batch of images x (N, C, H, W);
    /// w is (O, C·kH·kW) row-major, y is (N, O, outH·outW) and is overwritten; act is ReLU or the identity.
    /// </summary>
    public static void Forward(float[] x, int batch, int channels, in WindowGeometry g, float[] w, int filters, float[]? bias,
        float[] y, bool relu, int threads)
    {
        int k = channels * g.KernelArea, area = g.OutputArea, imageSize = channels * g.InputArea;
        int mr = MR, nr = NR, rowTiles = (filters + mr - 1) / mr;
        int slivers = (area + nr - 1) / nr, total = batch * slivers;
        var geometry = g;

        // Weights in MR-filter slivers: packedW[t][p][r] = w[t·MR + r, p] (zero past the last filter).
        var packedW = GC.AllocateUninitializedArray<float>(rowTiles * mr * k + mr, pinned: true);
        var packedBias = new float[rowTiles * mr];
        for (int t = 0; t < rowTiles; t++)
            for (int r = 0; r < mr; r++)
            {
                int o = t * mr + r;
                for (int p = 0; p < k; p++) packedW[(t * k + p) * mr + r] = o < filters ? w[o * k + p] : 0f;
                if (o < filters && bias is not null) packedBias[o] = bias[o];
            }

        int parts = threads <= 1 || (long)batch * filters * k * area < ParallelWork ? 1 : Math.Min(threads, total);
        void Range(int part)
        {
            int first = (int)((long)total * part / parts), end = (int)((long)total * (part + 1) / parts);
            float* columns = ThreadBuffer(k * nr + 16);
            float* scratch = stackalloc float[MR * NR];
            fixed (float* px = x, pw = packedW, pb = packedBias, py = y)
                for (int i = first; i < end; i++)
                {
                    int n = i / slivers, pixel = (i % slivers) * nr, cols = Math.Min(nr, area - pixel);
                    Im2Col.Gather(px + (nint)n * imageSize, channels, geometry, pixel, cols, columns, nr);
                    if (cols < nr)                                                      // a last, partial sliver: zero columns
                        for (int p = 0; p < k; p++) new Span<float>(columns + p * nr + cols, nr - cols).Clear();
                    float* yTile = py + ((nint)n * filters * area + pixel);
                    for (int t = 0; t < rowTiles; t++)
                    {
                        int rows = Math.Min(mr, filters - t * mr);
                        float* a = pw + (nint)t * k * mr, b = bias is null ? null : pb + t * mr;
                        if (rows == mr && cols == nr) Tile(k, a, columns, b, yTile + (nint)t * mr * area, area, relu);
                        else
                        {
                            Tile(k, a, columns, b, scratch, nr, relu);
                            for (int r = 0; r < rows; r++)
                                new ReadOnlySpan<float>(scratch + r * nr, cols).CopyTo(new Span<float>(yTile + (nint)(t * mr + r) * area, cols));
                        }
                    }
                }
        }
        if (parts == 1) Range(0);
        else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, Range);
    }

    /// <summary>One register tile over all K steps: c[r, j] = act(bias[r] + Σ_p a[p, r]·b[p, j]), r &lt; MR, j &lt; NR.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(int k, float* a, float* b, float* bias, float* c, nint ldc, bool relu)
    {
        if (Wide) Tile8x32(k, a, b, bias, c, ldc, relu);
        else Tile4x16(k, a, b, bias, c, ldc, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x32(int k, float* a, float* b, float* bias, float* c, nint ldc, bool relu)
    {
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (bias is null) c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = default;
        else
        {
            c00 = c01 = Vector512.Create(bias[0]); c10 = c11 = Vector512.Create(bias[1]);
            c20 = c21 = Vector512.Create(bias[2]); c30 = c31 = Vector512.Create(bias[3]);
            c40 = c41 = Vector512.Create(bias[4]); c50 = c51 = Vector512.Create(bias[5]);
            c60 = c61 = Vector512.Create(bias[6]); c70 = c71 = Vector512.Create(bias[7]);
        }
        for (int p = 0; p < k; p++, a += 8, b += 32)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16), ai;
            ai = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00); c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10); c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20); c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30); c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(ai, b0, c40); c41 = Avx512F.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(ai, b0, c50); c51 = Avx512F.FusedMultiplyAdd(ai, b1, c51);
            ai = Vector512.Create(a[6]); c60 = Avx512F.FusedMultiplyAdd(ai, b0, c60); c61 = Avx512F.FusedMultiplyAdd(ai, b1, c61);
            ai = Vector512.Create(a[7]); c70 = Avx512F.FusedMultiplyAdd(ai, b0, c70); c71 = Avx512F.FusedMultiplyAdd(ai, b1, c71);
        }
        Store(c, c00, c01, relu); c += ldc;
        Store(c, c10, c11, relu); c += ldc;
        Store(c, c20, c21, relu); c += ldc;
        Store(c, c30, c31, relu); c += ldc;
        Store(c, c40, c41, relu); c += ldc;
        Store(c, c50, c51, relu); c += ldc;
        Store(c, c60, c61, relu); c += ldc;
        Store(c, c70, c71, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> x0, Vector512<float> x1, bool relu)
    {
        if (relu) { x0 = Vector512.Max(x0, Vector512<float>.Zero); x1 = Vector512.Max(x1, Vector512<float>.Zero); }
        Vector512.Store(x0, c);
        Vector512.Store(x1, c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x16(int k, float* a, float* b, float* bias, float* c, nint ldc, bool relu)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31;
        if (bias is null) c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = default;
        else
        {
            c00 = c01 = Vector256.Create(bias[0]); c10 = c11 = Vector256.Create(bias[1]);
            c20 = c21 = Vector256.Create(bias[2]); c30 = c31 = Vector256.Create(bias[3]);
        }
        for (int p = 0; p < k; p++, a += 4, b += 16)
        {
            Vector256<float> b0 = Avx.LoadVector256(b), b1 = Avx.LoadVector256(b + 8), ai;
            ai = Avx.BroadcastScalarToVector256(a + 0); c00 = Fma.MultiplyAdd(ai, b0, c00); c01 = Fma.MultiplyAdd(ai, b1, c01);
            ai = Avx.BroadcastScalarToVector256(a + 1); c10 = Fma.MultiplyAdd(ai, b0, c10); c11 = Fma.MultiplyAdd(ai, b1, c11);
            ai = Avx.BroadcastScalarToVector256(a + 2); c20 = Fma.MultiplyAdd(ai, b0, c20); c21 = Fma.MultiplyAdd(ai, b1, c21);
            ai = Avx.BroadcastScalarToVector256(a + 3); c30 = Fma.MultiplyAdd(ai, b0, c30); c31 = Fma.MultiplyAdd(ai, b1, c31);
        }
        Store(c, c00, c01, relu); c += ldc;
        Store(c, c10, c11, relu); c += ldc;
        Store(c, c20, c21, relu); c += ldc;
        Store(c, c30, c31, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> x0, Vector256<float> x1, bool relu)
    {
        if (relu) { x0 = Avx.Max(x0, Vector256<float>.Zero); x1 = Avx.Max(x1, Vector256<float>.Zero); }
        Avx.Store(c, x0);
        Avx.Store(c + 8, x1);
    }

    [ThreadStatic] private static float[]? t_buffer;

    /// <summary>A 64-byte aligned, pinned scratch area of at least <paramref name="floats"/> floats owned by the calling thread.</summary>
    private static float* ThreadBuffer(int floats)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < floats + 16)
            t_buffer = buffer = GC.AllocateUninitializedArray<float>(floats + 16, pinned: true);
        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((start + 63) & ~(nint)63);
    }
}
