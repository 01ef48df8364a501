// ─────────────────────────────────────────────────────────────────────────────────────────────
// Gemm: a fast single-precision matrix multiply, C = alpha·op(A)·op(B) + beta·C.
//
// Convolution (via im2col) and Linear layers spend almost all their time here, so this file is
// written for speed; GemmReference.cs holds the readable three-line definition it must agree with.
//
// How it is organised (the GotoBLAS / BLIS recipe):
//
//   for jc over n in steps of NC:                   ── a column panel of C and B
//     for pc over k in steps of KC:                 ── a slice of the summed dimension
//       pack B[pc:pc+KC, jc:jc+NC] into Bp          ── Bp (KC×NC) stays in L2/L3
//       for ic over m in steps of MC:
//         pack A[ic:ic+MC, pc:pc+KC] into Ap        ── Ap (MC×KC) stays in L2
//         for jr over the panel in steps of NR:     ── one KC×NR sliver of Bp stays in L1
//           for ir over the block in steps of MR:
//             micro-kernel: C[MR×NR] (+)= Ap sliver (MR×KC) · Bp sliver (KC×NR)
//
// * Packing copies the operands into the exact order the micro-kernel reads them: for A, MR rows
//   interleaved ("for each p: a(i..i+MR-1, p)"), for B, NR columns ("for each p: b(p, j..j+NR-1)").
//   The kernel then streams both with unit stride. Transposition is absorbed here: packing simply
//   reads the source with the other stride. Partial slivers at the matrix edges are zero-padded,
//   so the kernel always works on a full MR×NR tile and never reads out of bounds.
// * The micro-kernel (AVX2 + FMA) keeps a 6×16 tile of C in 12 ymm registers (6 rows × two
//   8-float vectors). Per step p it loads 16 floats of B (two vectors), broadcasts each of the 6
//   floats of A and does 12 fused multiply-adds: 192 flops for 8 loads, which is enough to keep both
//   FMA units of the core busy. alpha and beta are applied once, when the tile is written to C.
//   Edge tiles are computed into a small scratch tile and copied to C with scalar code.
// * Blocking: KC×NR·4 B = 16 KiB of B plus MR×KC·4 B = 6 KiB of A in L1 (48 KiB here);
//   MC×KC·4 B of packed A in L2 (2 MiB per core here); KC×NC·4 B of packed B in L2/L3.
// * Threads split C into column (or row) strips; each thread runs the loops above on its strip
//   with its own packing buffers. K is never split, and every element of C sees exactly the same
//   sequence of operations whatever the strip boundaries are, so results are bit-identical for any
//   number of threads.
// * Without AVX2/FMA (e.g. on ARM) the same packed algorithm runs with a portable Vector128 kernel.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Kernels;

/// <summary>
/// Fast single-precision general matrix multiply (BLAS <c>sgemm</c>) for row-major matrices:
/// packed, cache-blocked, AVX2/FMA-vectorised and multi-threaded. Results do not depend on
/// <see cref="MaxThreads"/>.
/// </summary>
public static unsafe class Gemm
{
    /// <summary>Rows of C computed by one micro-kernel call.</summary>
    internal const int MR = 6;
    /// <summary>Columns of C computed by one micro-kernel call (two AVX vectors).</summary>
    internal const int NR = 16;

    // Cache blocking. Internal and settable only so tests/benchmarks can exercise or tune them;
    // the library never changes them. KC must stay the same for every thread of one call.
    internal static int KC = 256;   // depth of a packed slice (summed dimension)
    internal static int MC = 240;   // rows of A packed at a time, multiple of MR
    internal static int NC = 4080;  // columns of B packed at a time, multiple of NR

    /// <summary>Problems with m·n·k below this run on the calling thread (threads cost more than they save).</summary>
    internal static long ParallelThreshold = 96 * 96 * 96;

    /// <summary>True when the AVX2/FMA micro-kernel is used (x86-64 with AVX2 and FMA).</summary>
    internal static bool UseAvx2 = Fma.IsSupported && Avx2.IsSupported;

    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// Largest number of threads one <see cref="Sgemm"/> call may use (default: <see cref="Environment.ProcessorCount"/>).
    /// 1 runs everything on the calling thread. The result is bit-identical for any value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "MaxThreads must be at least 1.");
            s_maxThreads = value;
        }
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C for row-major float32 matrices (BLAS sgemm semantics). op(A) is m×k, op(B) is k×n, C is m×n.</summary>
    /// <param name="transA">If true, A is stored k×m and op(A) = Aᵀ, i.e. op(A)[i,p] = a[p*lda + i]; otherwise op(A)[i,p] = a[i*lda + p].</param>
    /// <param name="transB">If true, B is stored n×k and op(B) = Bᵀ, i.e. op(B)[p,j] = b[j*ldb + p]; otherwise op(B)[p,j] = b[p*ldb + j].</param>
    /// <param name="m">Rows of op(A) and of C.</param>
    /// <param name="n">Columns of op(B) and of C.</param>
    /// <param name="k">Columns of op(A) = rows of op(B) (the summed dimension).</param>
    /// <param name="alpha">Scale of the product. When 0, A and B are not read.</param>
    /// <param name="a">Storage of A.</param>
    /// <param name="lda">Row stride of A as stored (at least its stored width: k, or m when transposed).</param>
    /// <param name="b">Storage of B.</param>
    /// <param name="ldb">Row stride of B as stored (at least its stored width: n, or k when transposed).</param>
    /// <param name="beta">Scale of the old C. When 0, C is overwritten without being read (NaNs in C do not propagate).</param>
    /// <param name="c">Storage of C (m×n, row stride <paramref name="ldc"/>); must not overlap A or B.</param>
    /// <param name="ldc">Row stride of C (at least n).</param>
    /// <exception cref="ArgumentException">A size is negative, a leading dimension is smaller than the row it strides over, or a span is too short.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0) return;

        fixed (float* pa = a, pb = b, pc = c)
        {
            if (k == 0 || alpha == 0)
            {
                ScaleC(m, n, beta, pc, ldc);
                return;
            }

            var job = new Job(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, KC, MC, NC);

            int threads = (long)m * n * k < ParallelThreshold ? 1 : MaxThreads;
            // Split the larger side of C into strips aligned to the register tile. Each strip
            // re-packs the whole of the *other* operand, so splitting the larger side keeps that
            // duplicated work on the smaller operand.
            bool splitN = n >= m;
            int units = splitN ? (n + NR - 1) / NR : (m + MR - 1) / MR;
            int parts = Math.Min(threads, units);
            if (parts <= 1)
            {
                job.Run(0, m, 0, n);
                return;
            }

            job.SplitN = splitN;
            job.Units = units;
            job.Parts = parts;
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, job.RunPart);
        }
    }

    /// <summary>Checks sizes, leading dimensions and span lengths; throws <see cref="ArgumentException"/> on the first problem.</summary>
    internal static void Validate(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> c, int ldc)
    {
        if (m < 0) throw new ArgumentException($"m must be non-negative, got {m}.", nameof(m));
        if (n < 0) throw new ArgumentException($"n must be non-negative, got {n}.", nameof(n));
        if (k < 0) throw new ArgumentException($"k must be non-negative, got {k}.", nameof(k));
        // Stored shapes: A is m×k (or k×m when transposed), B is k×n (or n×k), C is m×n.
        CheckMatrix("A", nameof(a), nameof(lda), transA ? k : m, transA ? m : k, a.Length, lda, transA);
        CheckMatrix("B", nameof(b), nameof(ldb), transB ? n : k, transB ? k : n, b.Length, ldb, transB);
        CheckMatrix("C", nameof(c), nameof(ldc), m, n, c.Length, ldc, false);
    }

    private static void CheckMatrix(string name, string spanName, string ldName, int rows, int cols, int length, int ld, bool transposed)
    {
        string shape = $"{name}{(transposed ? " (stored transposed)" : "")} is {rows}×{cols}";
        if (ld < cols || ld < 0)
            throw new ArgumentException($"{ldName} = {ld} is smaller than the row width: {shape}, so {ldName} must be at least {cols}.", ldName);
        if (rows == 0 || cols == 0) return;
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"{spanName} is too short: {shape} with {ldName} = {ld} needs at least {needed} elements, got {length}.", spanName);
    }

    /// <summary>C = beta·C (C = 0 when beta is 0, whatever C held).</summary>
    private static void ScaleC(int m, int n, float beta, float* c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0) row.Clear();
            else if (beta != 1) for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }

    // ── Packing buffers ─────────────────────────────────────────────────────────────────────
    // One pinned array per thread, grown on demand and reused by every later call on that thread.

    [ThreadStatic] private static float[]? t_buffer;

    /// <summary>A 64-byte aligned scratch area of at least <paramref name="floats"/> floats owned by the calling thread.</summary>
    private static float* ThreadBuffer(long floats)
    {
        const int AlignFloats = 16; // 64 bytes
        float[]? buf = t_buffer;
        if (buf is null || buf.Length < floats + AlignFloats)
        {
            buf = GC.AllocateUninitializedArray<float>(checked((int)(floats + AlignFloats)), pinned: true);
            t_buffer = buf;
        }
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buf));
        return (float*)((p + 63) & ~(nint)63);
    }

    // ── One multiplication (possibly split into strips run by several threads) ─────────────────

    private sealed class Job
    {
        private readonly bool _transA, _transB;
        private readonly int _m, _n, _k;
        private readonly float _alpha, _beta;
        private readonly float* _a, _b, _c;
        private readonly nint _lda, _ldb, _ldc;
        private readonly int _kc, _mc, _nc;
        internal bool SplitN;
        internal int Units, Parts;

        internal Job(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda,
            float* b, int ldb, float beta, float* c, int ldc, int kc, int mc, int nc)
        {
            _transA = transA; _transB = transB; _m = m; _n = n; _k = k; _alpha = alpha; _beta = beta;
            _a = a; _b = b; _c = c; _lda = lda; _ldb = ldb; _ldc = ldc;
            _kc = kc; _mc = mc; _nc = nc;
        }

        /// <summary>Computes strip number <paramref name="part"/> of <see cref="Parts"/> (balanced, tile aligned).</summary>
        internal void RunPart(int part)
        {
            int u0 = (int)((long)Units * part / Parts), u1 = (int)((long)Units * (part + 1) / Parts);
            if (SplitN) Run(0, _m, u0 * NR, Math.Min(u1 * NR, _n));
            else Run(u0 * MR, Math.Min(u1 * MR, _m), 0, _n);
        }

        /// <summary>Computes the block C[i0:i1, j0:j1] with the blocked loops described at the top of the file.</summary>
        internal void Run(int i0, int i1, int j0, int j1)
        {
            int kcMax = Math.Min(_kc, _k);
            int mcMax = RoundUp(Math.Min(_mc, i1 - i0), MR);
            int ncMax = RoundUp(Math.Min(_nc, j1 - j0), NR);
            float* packedA = ThreadBuffer((long)kcMax * (mcMax + ncMax));
            float* packedB = packedA + (long)kcMax * mcMax;

            for (int jc = j0; jc < j1; jc += _nc)
            {
                int nc = Math.Min(_nc, j1 - jc);
                for (int pc = 0; pc < _k; pc += _kc)
                {
                    int kc = Math.Min(_kc, _k - pc);
                    // The first slice of k scales the old C by beta; later slices accumulate onto it.
                    float beta = pc == 0 ? _beta : 1f;
                    PackB(pc, kc, jc, nc, packedB);
                    for (int ic = i0; ic < i1; ic += _mc)
                    {
                        int mc = Math.Min(_mc, i1 - ic);
                        PackA(ic, mc, pc, kc, packedA);
                        MacroKernel(mc, nc, kc, packedA, packedB, _c + ic * _ldc + jc, _ldc, _alpha, beta);
                    }
                }
            }
        }

        /// <summary>
        /// Packs op(A)[i0:i0+mc, p0:p0+kc] as MR-row slivers: sliver s holds, for each p, the MR values
        /// op(A)[i0+s·MR .. i0+s·MR+MR-1, p0+p] (rows past the edge are zero).
        /// </summary>
        private void PackA(int i0, int mc, int p0, int kc, float* dst)
        {
            nint lda = _lda;
            for (int s = 0; s < mc; s += MR, dst += MR * kc)
            {
                int rows = Math.Min(MR, mc - s);
                if (!_transA)
                {
                    // op(A)[i,p] = a[i*lda + p]: MR rows read side by side.
                    float* src = _a + (i0 + s) * lda + p0;
                    if (rows == MR)
                    {
                        float* r0 = src, r1 = src + lda, r2 = src + 2 * lda, r3 = src + 3 * lda, r4 = src + 4 * lda, r5 = src + 5 * lda;
                        float* d = dst;
                        for (int p = 0; p < kc; p++, d += MR)
                        {
                            d[0] = r0[p]; d[1] = r1[p]; d[2] = r2[p]; d[3] = r3[p]; d[4] = r4[p]; d[5] = r5[p];
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++)
                            for (int r = 0; r < MR; r++)
                                dst[p * MR + r] = r < rows ? src[r * lda + p] : 0f;
                    }
                }
                else
                {
                    // op(A)[i,p] = a[p*lda + i]: each p contributes MR consecutive floats.
                    float* src = _a + (nint)p0 * lda + i0 + s;
                    for (int p = 0; p < kc; p++, src += lda)
                        for (int r = 0; r < MR; r++)
                            dst[p * MR + r] = r < rows ? src[r] : 0f;
                }
            }
        }

        /// <summary>
        /// Packs op(B)[p0:p0+kc, j0:j0+nc] as NR-column slivers: sliver s holds, for each p, the NR values
        /// op(B)[p0+p, j0+s·NR .. j0+s·NR+NR-1] (columns past the edge are zero).
        /// </summary>
        private void PackB(int p0, int kc, int j0, int nc, float* dst)
        {
            nint ldb = _ldb;
            for (int s = 0; s < nc; s += NR, dst += NR * kc)
            {
                int cols = Math.Min(NR, nc - s);
                if (!_transB)
                {
                    // op(B)[p,j] = b[p*ldb + j]: NR consecutive floats per p.
                    float* src = _b + (nint)p0 * ldb + j0 + s;
                    if (cols == NR)
                    {
                        for (int p = 0; p < kc; p++, src += ldb)
                        {
                            Vector128.Store(Vector128.Load(src), dst + p * NR);
                            Vector128.Store(Vector128.Load(src + 4), dst + p * NR + 4);
                            Vector128.Store(Vector128.Load(src + 8), dst + p * NR + 8);
                            Vector128.Store(Vector128.Load(src + 12), dst + p * NR + 12);
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++, src += ldb)
                            for (int j = 0; j < NR; j++)
                                dst[p * NR + j] = j < cols ? src[j] : 0f;
                    }
                }
                else
                {
                    // op(B)[p,j] = b[j*ldb + p]: NR rows of the stored matrix read side by side.
                    float* src = _b + (j0 + s) * ldb + p0;
                    for (int j = 0; j < NR; j++)
                    {
                        float* col = src + j * ldb;
                        if (j < cols)
                            for (int p = 0; p < kc; p++) dst[p * NR + j] = col[p];
                        else
                            for (int p = 0; p < kc; p++) dst[p * NR + j] = 0f;
                    }
                }
            }
        }
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>
    /// C[0:mc, 0:nc] = alpha·Ap·Bp + beta·C for one packed block, tile by tile. Full tiles are written
    /// directly by the micro-kernel; edge tiles go through a scratch tile and a scalar copy that does
    /// exactly the same arithmetic, so results do not depend on where the tile edges fall.
    /// </summary>
    private static void MacroKernel(int mc, int nc, int kc, float* packedA, float* packedB,
        float* c, nint ldc, float alpha, float beta)
    {
        float* scratch = stackalloc float[MR * NR + 16];
        scratch = (float*)(((nint)scratch + 63) & ~(nint)63);
        bool avx2 = UseAvx2;
        for (int jr = 0; jr < nc; jr += NR)
        {
            int cols = Math.Min(NR, nc - jr);
            float* bSliver = packedB + (nint)jr * kc;
            for (int ir = 0; ir < mc; ir += MR)
            {
                int rows = Math.Min(MR, mc - ir);
                float* aSliver = packedA + (nint)ir * kc;
                float* cTile = c + ir * ldc + jr;
                if (avx2 && rows == MR && cols == NR)
                {
                    MicroKernelAvx2(kc, aSliver, bSliver, cTile, ldc, alpha, beta);
                }
                else
                {
                    if (avx2) MicroKernelAvx2(kc, aSliver, bSliver, scratch, NR, 1f, 0f);
                    else MicroKernelPortable(kc, aSliver, bSliver, scratch);
                    StoreTile(scratch, rows, cols, cTile, ldc, alpha, beta);
                }
            }
        }
    }

    /// <summary>C[r, j] = alpha·tile[r, j] + beta·C[r, j] for the valid part of a tile (C not read when beta is 0).</summary>
    private static void StoreTile(float* tile, int rows, int cols, float* c, nint ldc, float alpha, float beta)
    {
        for (int r = 0; r < rows; r++, c += ldc, tile += NR)
        {
            if (beta == 0)
                for (int j = 0; j < cols; j++) c[j] = tile[j] * alpha;
            else
                for (int j = 0; j < cols; j++) c[j] = MathF.FusedMultiplyAdd(tile[j], alpha, beta * c[j]);
        }
    }

    /// <summary>
    /// The AVX2/FMA micro-kernel: a 6×16 tile of C held in 12 ymm registers,
    /// C[6×16] = alpha·(A sliver · B sliver) + beta·C, reading kc steps of both packed slivers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelAvx2(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero;
        Vector256<float> c20 = Vector256<float>.Zero, c21 = Vector256<float>.Zero;
        Vector256<float> c30 = Vector256<float>.Zero, c31 = Vector256<float>.Zero;
        Vector256<float> c40 = Vector256<float>.Zero, c41 = Vector256<float>.Zero;
        Vector256<float> c50 = Vector256<float>.Zero, c51 = Vector256<float>.Zero;

        for (int p = 0; p < kc; p++, a += MR, b += NR)
        {
            Vector256<float> b0 = Avx.LoadVector256(b);
            Vector256<float> b1 = Avx.LoadVector256(b + 8);
            Vector256<float> ai;
            ai = Avx.BroadcastScalarToVector256(a + 0); c00 = Fma.MultiplyAdd(ai, b0, c00); c01 = Fma.MultiplyAdd(ai, b1, c01);
            ai = Avx.BroadcastScalarToVector256(a + 1); c10 = Fma.MultiplyAdd(ai, b0, c10); c11 = Fma.MultiplyAdd(ai, b1, c11);
            ai = Avx.BroadcastScalarToVector256(a + 2); c20 = Fma.MultiplyAdd(ai, b0, c20); c21 = Fma.MultiplyAdd(ai, b1, c21);
            ai = Avx.BroadcastScalarToVector256(a + 3); c30 = Fma.MultiplyAdd(ai, b0, c30); c31 = Fma.MultiplyAdd(ai, b1, c31);
            ai = Avx.BroadcastScalarToVector256(a + 4); c40 = Fma.MultiplyAdd(ai, b0, c40); c41 = Fma.MultiplyAdd(ai, b1, c41);
            ai = Avx.BroadcastScalarToVector256(a + 5); c50 = Fma.MultiplyAdd(ai, b0, c50); c51 = Fma.MultiplyAdd(ai, b1, c51);
        }

        Vector256<float> va = Vector256.Create(alpha);
        if (beta == 0)
        {
            Avx.Store(c, Avx.Multiply(c00, va)); Avx.Store(c + 8, Avx.Multiply(c01, va)); c += ldc;
            Avx.Store(c, Avx.Multiply(c10, va)); Avx.Store(c + 8, Avx.Multiply(c11, va)); c += ldc;
            Avx.Store(c, Avx.Multiply(c20, va)); Avx.Store(c + 8, Avx.Multiply(c21, va)); c += ldc;
            Avx.Store(c, Avx.Multiply(c30, va)); Avx.Store(c + 8, Avx.Multiply(c31, va)); c += ldc;
            Avx.Store(c, Avx.Multiply(c40, va)); Avx.Store(c + 8, Avx.Multiply(c41, va)); c += ldc;
            Avx.Store(c, Avx.Multiply(c50, va)); Avx.Store(c + 8, Avx.Multiply(c51, va));
        }
        else
        {
            // c = acc·alpha + beta·c with one rounding for the multiply-add, as in StoreTile.
            Vector256<float> vb = Vector256.Create(beta);
            StoreRow(c, c00, c01, va, vb); c += ldc;
            StoreRow(c, c10, c11, va, vb); c += ldc;
            StoreRow(c, c20, c21, va, vb); c += ldc;
            StoreRow(c, c30, c31, va, vb); c += ldc;
            StoreRow(c, c40, c41, va, vb); c += ldc;
            StoreRow(c, c50, c51, va, vb);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> va, Vector256<float> vb)
    {
        Avx.Store(c, Fma.MultiplyAdd(x0, va, Avx.Multiply(vb, Avx.LoadVector256(c))));
        Avx.Store(c + 8, Fma.MultiplyAdd(x1, va, Avx.Multiply(vb, Avx.LoadVector256(c + 8))));
    }

    /// <summary>
    /// Portable micro-kernel (any CPU; SIMD through Vector128 where the hardware has it):
    /// tile[MR×NR] = A sliver · B sliver, one row of the tile at a time.
    /// </summary>
    private static void MicroKernelPortable(int kc, float* a, float* b, float* tile)
    {
        for (int r = 0; r < MR; r++)
        {
            Vector128<float> s0 = Vector128<float>.Zero, s1 = Vector128<float>.Zero;
            Vector128<float> s2 = Vector128<float>.Zero, s3 = Vector128<float>.Zero;
            float* ap = a + r, bp = b;
            for (int p = 0; p < kc; p++, ap += MR, bp += NR)
            {
                Vector128<float> x = Vector128.Create(*ap);
                s0 += x * Vector128.Load(bp);
                s1 += x * Vector128.Load(bp + 4);
                s2 += x * Vector128.Load(bp + 8);
                s3 += x * Vector128.Load(bp + 12);
            }
            float* t = tile + r * NR;
            s0.Store(t); s1.Store(t + 4); s2.Store(t + 8); s3.Store(t + 12);
        }
    }
}
