// ─────────────────────────────────────────────────────────────────────────────────────────────
// WinogradWeightGradient: the weight gradient of a 3×3, stride-1 convolution with Winograd's
// F(2×2, 3×3) — 16 multiplications for every 2×2 block of outputs instead of 36.
//
// Winograd writes the forward pass of one 2×2 output tile Y from its 4×4 input patch d as
//
//     Y = Aᵀ [ U ⊙ V ] A,    U = G g Gᵀ (the filter g, 4×4),   V = Bᵀ d B (the patch, 4×4)
//
//     Bᵀ = | 1  0 −1  0 |    G = | 1   0   0 |    Aᵀ = | 1  1  1  0 |
//          | 0  1  1  0 |        | ½   ½   ½ |         | 0  1 −1 −1 |
//          | 0 −1  1  0 |        | ½  −½   ½ |
//          | 0  1  0 −1 |        | 0   0   1 |
//
// so by the chain rule dU = Σ_tiles (A dY Aᵀ) ⊙ V and dg = Gᵀ dU G. For every filter k, channel c and
// each of the 16 positions ξ of the 4×4 transform that is a sum over all tiles t of all images:
//
//     dU[k, ξ, c] = Σₜ dM[ξ, k, t] · V[ξ, c, t]        (dM = A dY Aᵀ of tile t of filter k's gradient)
//
// — 16 matrix products, each summing along tiles. Per image:
//   1. copy it channel-blocked and zero-bordered (ConvWeightGradient.Block: 16 channels per pixel in a
//      vector) and transform every 4×4 patch: V[block][ξ][t] is one vector of 16 channels;
//   2. transform dY, 16 tiles per vector (even/odd columns of two rows give the 2×2 values), and pack
//      it 12 filters × 16 tiles per panel, so that the product below reads it with one pointer;
//   3. for each ξ, 12 filters × 32 channels: 24 accumulators, per tile 2 vector loads (the channels),
//      12 broadcasts (the filters' dM) and 24 fused multiply-adds — the same register tile as a GEMM.
// The 16 lanes are 16 channels, so no lane sums; threads take contiguous ranges of images, each with
// its own dU, added in a fixed order, so results depend only on the thread count. Winograd's
// transforms round differently from the direct sum (tests allow for it). AVX-512, channels a multiple
// of 32, outputs at least 16 wide (see Suits); elsewhere ConvWeightGradient or im2col + GEMM.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Kernels;

/// <summary>The weight gradient of 3×3 stride-1 convolutions by Winograd's F(2×2, 3×3) (AVX-512, 32·k channels).</summary>
internal static unsafe class WinogradWeightGradient
{
    private const int FilterGroup = 12;                      // filters per register tile (and per packed dM panel)

    /// <summary>
    /// 3×3 kernels, stride 1, no dilation, a multiple of 32 input channels, on a CPU with AVX-512, and outputs at
    /// least 16 wide: measured (batch 64, 2 threads) 1.25–1.4× faster than ConvWeightGradient for 32 × 32 and
    /// 16 × 16 outputs, but slower for 8 × 8 ones (16 tiles an image: the register tile's set-up dominates).
    /// </summary>
    public static bool Suits(int channels, in WindowGeometry g) =>
        Avx512F.IsSupported && g.KernelH == 3 && g.KernelW == 3 && g.StrideH == 1 && g.StrideW == 1
        && g.DilationH == 1 && g.DilationW == 1 && channels % 32 == 0 && g.OutWidth >= 16;

    /// <summary>dW (O, C, 3, 3) = Σₙ dYₙ ⋆ xₙ for x (N, C, H, W) and dY (N, O, outH, outW); dW is overwritten.</summary>
    public static void Compute(float[] x, float[] dy, int batch, int channels, in WindowGeometry g, int filters, float[] dw, int threads)
    {
        var s = new Sizes(g, channels, filters);
        long work = (long)batch * filters * channels * 9 * g.OutputArea;
        int parts = threads <= 1 || batch < 2 || work < 1 << 18 ? 1 : Math.Min(threads, batch);
        var sums = new float[parts][];                              // per thread: dU [filter][ξ][channel]
        var geometry = g;

        void Range(int part)
        {
            int first = (int)((long)batch * part / parts), end = (int)((long)batch * (part + 1) / parts);
            var pool = ArrayPool<float>.Shared;
            var sum = sums[part] = pool.Rent(s.PaddedFilters * 16 * channels);
            new Span<float>(sum, 0, s.PaddedFilters * 16 * channels).Clear();
            float[] blocked = pool.Rent(s.BlockedSize + 16), v = pool.Rent(s.VSize + 16), plane = pool.Rent(s.PlaneSize),
                staging = pool.Rent(16 * s.StagingPitch), packed = pool.Rent(s.PackedSize);
            try
            {
                new Span<float>(plane).Clear();                      // its border past outH × outW stays zero
                new Span<float>(packed).Clear();                     // the filters past O stay zero
                fixed (float* px = x, pdy = dy, pb = blocked, pv = v, pp = plane, pst = staging, ppk = packed, psum = sum)
                {
                    float* image = Align(pb), vt = Align(pv);
                    for (int n = first; n < end; n++)
                    {
                        ConvWeightGradient.Block(px + (nint)n * channels * geometry.InputArea, channels, geometry, image, s.PaddedH, s.PaddedW);
                        TransformInput(image, s, vt);
                        for (int k = 0; k < filters; k++)
                        {
                            float* dyPlane = pdy + ((nint)n * filters + k) * geometry.OutputArea;
                            if (s.WholeBlocks) TransformGradientInBlocks(dyPlane, geometry, s, k, ppk);
                            else TransformGradient(dyPlane, geometry, s, k, pp, pst, ppk);
                        }
                        for (int xi = 0; xi < 16; xi++)
                            for (int group = 0; group < s.PaddedFilters / FilterGroup; group++)
                                for (int b = 0; b < s.Blocks; b += 2)
                                    Tile(vt + ((nint)b * 16 + xi) * s.Tiles * 16, vt + ((nint)(b + 1) * 16 + xi) * s.Tiles * 16,
                                        ppk + ((nint)xi * s.PaddedFilters / FilterGroup + group) * s.TileBlocks * FilterGroup * 16, s.Tiles,
                                        psum + ((nint)group * FilterGroup * 16 + xi) * channels + b * 16, 16 * channels);
                    }
                }
            }
            finally { pool.Return(blocked); pool.Return(v); pool.Return(plane); pool.Return(staging); pool.Return(packed); }
        }

        if (parts == 1) Range(0);
        else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, Range);
        var total = sums[0].AsSpan(0, s.PaddedFilters * 16 * channels);
        for (int r = 1; r < parts; r++) System.Numerics.Tensors.TensorPrimitives.Add(total, sums[r].AsSpan(0, total.Length), total);
        FilterGradient(sums[0], filters, channels, dw);
        foreach (var sum in sums) ArrayPool<float>.Shared.Return(sum);
    }

    /// <summary>The tiling of one image and the sizes of the per-thread buffers.</summary>
    private readonly struct Sizes
    {
        public readonly int TilesH, TilesW, Tiles, TileBlocks, PaddedH, PaddedW, Blocks, PaddedFilters, PlanePitch, StagingPitch;

        /// <summary>
        /// Every 16-tile block is whole tile rows (4, 8 or 16 tiles a row: outputs 8, 16 or 32 wide; or a
        /// multiple of 16 tiles a row) and the height is even: dY is read in place, no copy, no staging.
        /// </summary>
        public readonly bool WholeBlocks;

        public Sizes(in WindowGeometry g, int channels, int filters)
        {
            TilesH = (g.OutHeight + 1) / 2; TilesW = (g.OutWidth + 1) / 2; Tiles = TilesH * TilesW; TileBlocks = (Tiles + 15) / 16;
            PaddedH = 2 * TilesH + 2; PaddedW = 2 * TilesW + 2;                 // every tile's 4×4 patch inside the zero border
            Blocks = channels / 16;
            PaddedFilters = (filters + FilterGroup - 1) / FilterGroup * FilterGroup;
            PlanePitch = (2 * TilesW + 31) / 32 * 32;                           // dY rows, zero past outW, whole 32-float chunks
            StagingPitch = TileBlocks * 16 + 16;                                // a tile row's spare lanes spill into the slack
            WholeBlocks = g.OutHeight % 2 == 0 && (g.OutWidth % 32 == 0 || (g.OutWidth == 8 || g.OutWidth == 16) && TilesH % (16 / TilesW) == 0);
        }

        public int BlockedSize => Blocks * PaddedH * PaddedW * 16;
        public int VSize => Blocks * 16 * Tiles * 16;
        public int PlaneSize => (2 * TilesH + 1) * PlanePitch;                 // + a zero row: an odd outH's last tile
        public int PackedSize => 16 * PaddedFilters * TileBlocks * 16;
    }

    private static float* Align(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// <summary>V[block][ξ][t] = Bᵀ d B for every tile t's 4×4 patch d of the blocked image (16 channels per vector).</summary>
    private static void TransformInput(float* image, in Sizes s, float* v)
    {
        nint row = (nint)s.PaddedW * 16, plane = (nint)s.Tiles * 16;
        for (int b = 0; b < s.Blocks; b++)
        {
            float* blockImage = image + (nint)b * s.PaddedH * row, vb = v + (nint)b * 16 * plane;
            for (int ti = 0, t = 0; ti < s.TilesH; ti++)
                for (int tj = 0; tj < s.TilesW; tj++, t++)
                {
                    float* p = blockImage + 2 * ti * row + 2 * tj * 16;
                    // Bᵀ d: rows r0 − r2, r1 + r2, r2 − r1, r1 − r3 (each a row of 4 pixels)
                    var (e00, e10, e20, e30) = TimesB(Vector512.Load(p), Vector512.Load(p + row), Vector512.Load(p + 2 * row), Vector512.Load(p + 3 * row));
                    p += 16;
                    var (e01, e11, e21, e31) = TimesB(Vector512.Load(p), Vector512.Load(p + row), Vector512.Load(p + 2 * row), Vector512.Load(p + 3 * row));
                    p += 16;
                    var (e02, e12, e22, e32) = TimesB(Vector512.Load(p), Vector512.Load(p + row), Vector512.Load(p + 2 * row), Vector512.Load(p + 3 * row));
                    p += 16;
                    var (e03, e13, e23, e33) = TimesB(Vector512.Load(p), Vector512.Load(p + row), Vector512.Load(p + 2 * row), Vector512.Load(p + 3 * row));
                    // (Bᵀ d) B: the same combination of the columns; ξ = 4·row + column
                    float* o = vb + (nint)t * 16;
                    StoreRow(o, 0, plane, e00, e01, e02, e03);
                    StoreRow(o, 4, plane, e10, e11, e12, e13);
                    StoreRow(o, 8, plane, e20, e21, e22, e23);
                    StoreRow(o, 12, plane, e30, e31, e32, e33);
                }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* o, int first, nint plane, Vector512<float> c0, Vector512<float> c1, Vector512<float> c2, Vector512<float> c3)
    {
        var (v0, v1, v2, v3) = TimesB(c0, c1, c2, c3);
        Vector512.StoreAligned(v0, o + first * plane); Vector512.StoreAligned(v1, o + (first + 1) * plane);
        Vector512.StoreAligned(v2, o + (first + 2) * plane); Vector512.StoreAligned(v3, o + (first + 3) * plane);
    }

    /// <summary>
    /// dM = A dY Aᵀ for every tile of filter k's output gradient (one image), 16 tiles per vector, for any size, packed into
    /// [ξ][filter group][16-tile block][filter in group][16 tiles].
    /// </summary>
    private static void TransformGradient(float* dy, in WindowGeometry g, in Sizes s, int k, float* plane, float* staging, float* packed)
    {
        // The plane with zeros past outW (and a last zero row): odd sizes' last tiles read zeros.
        for (int i = 0; i < g.OutHeight; i++)
            new ReadOnlySpan<float>(dy + (nint)i * g.OutWidth, g.OutWidth).CopyTo(new Span<float>(plane + (nint)i * s.PlanePitch, g.OutWidth));
        nint pitch = s.StagingPitch;
        for (int ti = 0; ti < s.TilesH; ti++)
            for (int tj = 0; tj < s.TilesW; tj += 16)
            {
                float* top = plane + (nint)2 * ti * s.PlanePitch + 2 * tj, bottom = top + s.PlanePitch;
                TransformTiles(Vector512.Load(top), Vector512.Load(top + 16), Vector512.Load(bottom), Vector512.Load(bottom + 16),
                    staging + ti * s.TilesW + tj, pitch);                // spare lanes past the row are overwritten next
            }
        // Pack: [ξ][group][block][k % 12][16]
        int group = k / FilterGroup, member = k % FilterGroup, groups = s.PaddedFilters / FilterGroup;
        for (int xi = 0; xi < 16; xi++)
        {
            float* source = staging + xi * pitch, target = packed + (((nint)xi * groups + group) * s.TileBlocks * FilterGroup + member) * 16;
            for (int block = 0; block < s.TileBlocks; block++)
                Vector512.Store(Vector512.Load(source + block * 16), target + (nint)block * FilterGroup * 16);
        }
    }

    /// <summary>
    /// <see cref="TransformGradient"/> when every 16-tile block is whole tile rows (<see cref="Sizes.WholeBlocks"/>): the
    /// two 32-float rows whose even and odd columns give a block's 2×2 values are read straight from dY — a
    /// 32-wide row in two halves, or two 16-wide rows, or four 8-wide rows — and each result goes straight into its
    /// packed panel.
    /// </summary>
    private static void TransformGradientInBlocks(float* dy, in WindowGeometry g, in Sizes s, int k, float* packed)
    {
        int width = g.OutWidth, group = k / FilterGroup, member = k % FilterGroup, groups = s.PaddedFilters / FilterGroup;
        nint xiStride = (nint)groups * s.TileBlocks * FilterGroup * 16;          // from one ξ's panels to the next
        float* target = packed + ((nint)group * s.TileBlocks * FilterGroup + member) * 16;
        for (int block = 0; block < s.TileBlocks; block++, target += FilterGroup * 16)
        {
            Vector512<float> t0, t1, b0, b1;                   // top rows (even output rows) and bottom rows of the block's tiles
            if (width >= 32)
            {
                int rowsOfTiles = s.TilesW / 16, ti = block / rowsOfTiles, chunk = block % rowsOfTiles;
                float* top = dy + (nint)2 * ti * width + 32 * chunk;
                t0 = Vector512.Load(top); t1 = Vector512.Load(top + 16); b0 = Vector512.Load(top + width); b1 = Vector512.Load(top + width + 16);
            }
            else if (width == 16)                              // two tile rows: output rows 4b, 4b + 2 (top), 4b + 1, 4b + 3
            {
                float* top = dy + (nint)4 * block * 16;
                t0 = Vector512.Load(top); t1 = Vector512.Load(top + 32); b0 = Vector512.Load(top + 16); b1 = Vector512.Load(top + 48);
            }
            else                                               // width 8, four tile rows: output rows 8b, 8b + 2, … (top), 8b + 1, … (bottom)
            {
                float* top = dy + (nint)8 * block * 8;
                t0 = Vector512.Create(Vector256.Load(top), Vector256.Load(top + 16)); t1 = Vector512.Create(Vector256.Load(top + 32), Vector256.Load(top + 48));
                b0 = Vector512.Create(Vector256.Load(top + 8), Vector256.Load(top + 24)); b1 = Vector512.Create(Vector256.Load(top + 40), Vector256.Load(top + 56));
            }
            TransformTiles(t0, t1, b0, b1, target, xiStride);
        }
    }

    /// <summary>
    /// dM = A dY Aᵀ for 16 tiles whose top output rows are the 32 floats (t0, t1) and bottom rows (b0, b1): the even
    /// and odd columns give each tile's 2×2 gradient (a b / c d); ξ's 16 results are stored <paramref name="xiStride"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransformTiles(Vector512<float> t0, Vector512<float> t1, Vector512<float> b0, Vector512<float> b1, float* o, nint xiStride)
    {
        var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odd = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
        var a = Avx512F.PermuteVar16x32x2(t0, even, t1); var b = Avx512F.PermuteVar16x32x2(t0, odd, t1);
        var c = Avx512F.PermuteVar16x32x2(b0, even, b1); var d = Avx512F.PermuteVar16x32x2(b0, odd, b1);
        // A dY: rows (a, b), (a + c, b + d), (a − c, b − d), (−c, −d); then each row (x0, x1) → (x0, x0 + x1, x0 − x1, −x1)
        Row(o, 0, xiStride, a, b);
        Row(o, 4, xiStride, a + c, b + d);
        Row(o, 8, xiStride, a - c, b - d);
        Row(o, 12, xiStride, -c, -d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(float* o, int first, nint pitch, Vector512<float> x0, Vector512<float> x1)
    {
        Vector512.Store(x0, o + first * pitch); Vector512.Store(x0 + x1, o + (first + 1) * pitch);
        Vector512.Store(x0 - x1, o + (first + 2) * pitch); Vector512.Store(-x1, o + (first + 3) * pitch);
    }

    /// <summary>
    /// 12 filters × 32 channels at one ξ: sum[f·filterStride + l] += Σₜ dM[f, t] · V[t][l] (l &lt; 16 from
    /// <paramref name="v0"/>, 16 … 31 from <paramref name="v1"/>); dm is the packed [block][12][16] panel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(float* v0, float* v1, float* dm, int tiles, float* sum, int filterStride)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector512<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default;
        Vector512<float> b6 = default, b7 = default, b8 = default, b9 = default, b10 = default, b11 = default;
        for (int t = 0; t < tiles; t++)
        {
            float* d = dm + (t >> 4) * (FilterGroup * 16) + (t & 15);
            Vector512<float> x0 = Vector512.LoadAligned(v0 + t * 16), x1 = Vector512.LoadAligned(v1 + t * 16), k;
            k = Vector512.Create(d[0]); a0 = Avx512F.FusedMultiplyAdd(k, x0, a0); b0 = Avx512F.FusedMultiplyAdd(k, x1, b0);
            k = Vector512.Create(d[16]); a1 = Avx512F.FusedMultiplyAdd(k, x0, a1); b1 = Avx512F.FusedMultiplyAdd(k, x1, b1);
            k = Vector512.Create(d[32]); a2 = Avx512F.FusedMultiplyAdd(k, x0, a2); b2 = Avx512F.FusedMultiplyAdd(k, x1, b2);
            k = Vector512.Create(d[48]); a3 = Avx512F.FusedMultiplyAdd(k, x0, a3); b3 = Avx512F.FusedMultiplyAdd(k, x1, b3);
            k = Vector512.Create(d[64]); a4 = Avx512F.FusedMultiplyAdd(k, x0, a4); b4 = Avx512F.FusedMultiplyAdd(k, x1, b4);
            k = Vector512.Create(d[80]); a5 = Avx512F.FusedMultiplyAdd(k, x0, a5); b5 = Avx512F.FusedMultiplyAdd(k, x1, b5);
            k = Vector512.Create(d[96]); a6 = Avx512F.FusedMultiplyAdd(k, x0, a6); b6 = Avx512F.FusedMultiplyAdd(k, x1, b6);
            k = Vector512.Create(d[112]); a7 = Avx512F.FusedMultiplyAdd(k, x0, a7); b7 = Avx512F.FusedMultiplyAdd(k, x1, b7);
            k = Vector512.Create(d[128]); a8 = Avx512F.FusedMultiplyAdd(k, x0, a8); b8 = Avx512F.FusedMultiplyAdd(k, x1, b8);
            k = Vector512.Create(d[144]); a9 = Avx512F.FusedMultiplyAdd(k, x0, a9); b9 = Avx512F.FusedMultiplyAdd(k, x1, b9);
            k = Vector512.Create(d[160]); a10 = Avx512F.FusedMultiplyAdd(k, x0, a10); b10 = Avx512F.FusedMultiplyAdd(k, x1, b10);
            k = Vector512.Create(d[176]); a11 = Avx512F.FusedMultiplyAdd(k, x0, a11); b11 = Avx512F.FusedMultiplyAdd(k, x1, b11);
        }
        Add(sum, a0, b0); Add(sum + filterStride, a1, b1); Add(sum + 2 * filterStride, a2, b2); Add(sum + 3 * filterStride, a3, b3);
        Add(sum + 4 * filterStride, a4, b4); Add(sum + 5 * filterStride, a5, b5); Add(sum + 6 * filterStride, a6, b6);
        Add(sum + 7 * filterStride, a7, b7); Add(sum + 8 * filterStride, a8, b8); Add(sum + 9 * filterStride, a9, b9);
        Add(sum + 10 * filterStride, a10, b10); Add(sum + 11 * filterStride, a11, b11);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* sum, Vector512<float> low, Vector512<float> high)
    {
        Vector512.Store(Vector512.Load(sum) + low, sum);
        Vector512.Store(Vector512.Load(sum + 16) + high, sum + 16);
    }

    /// <summary>dW[k, c] = Gᵀ dU[k, ·, c] G (4×4 → 3×3) for every filter and channel.</summary>
    private static void FilterGradient(float[] du, int filters, int channels, float[] dw)
    {
        Span<float> u = stackalloc float[16], h = stackalloc float[12];
        for (int k = 0; k < filters; k++)
            for (int c = 0; c < channels; c++)
            {
                for (int xi = 0; xi < 16; xi++) u[xi] = du[(k * 16 + xi) * channels + c];
                for (int col = 0; col < 4; col++)                   // Gᵀ ·: rows u0 + (u1 + u2)/2, (u1 − u2)/2, (u1 + u2)/2 + u3
                {
                    float u0 = u[col], u1 = u[4 + col], u2 = u[8 + col], u3 = u[12 + col];
                    h[col] = u0 + 0.5f * (u1 + u2); h[4 + col] = 0.5f * (u1 - u2); h[8 + col] = 0.5f * (u1 + u2) + u3;
                }
                int at = (k * channels + c) * 9;
                for (int p = 0; p < 3; p++)                         // · G: the same on each row's columns
                {
                    float h0 = h[4 * p], h1 = h[4 * p + 1], h2 = h[4 * p + 2], h3 = h[4 * p + 3];
                    dw[at + 3 * p] = h0 + 0.5f * (h1 + h2); dw[at + 3 * p + 1] = 0.5f * (h1 - h2); dw[at + 3 * p + 2] = 0.5f * (h1 + h2) + h3;
                }
            }
    }

    /// <summary>The combination B makes of 4 values, (d0 − d2, d1 + d2, d2 − d1, d1 − d3) — Bᵀ's rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) TimesB(Vector512<float> d0, Vector512<float> d1,
        Vector512<float> d2, Vector512<float> d3) => (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
}
