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
//   reads the source with the other stride (8×8 register transposes where rows must become
//   columns). Partial slivers at the matrix edges are zero-padded, so the kernel always works on a
//   full tile and never reads out of bounds.
// * The micro-kernel (AVX2 + FMA) keeps a 6×16 tile of C in 12 ymm registers (6 rows × two
//   8-float vectors). Per step p it loads 16 floats of B (two vectors), broadcasts each of the 6
//   floats of A and does 12 fused multiply-adds: 192 flops for 8 loads, which is enough to keep both
//   FMA units of the core busy. alpha and beta are applied once, when the tile is written to C.
//   Edge tiles are computed into a small scratch tile and copied to C with scalar code that does
//   the same arithmetic.
// * On CPUs with AVX-512 (this course's reference machine has it) the interior uses a 12×32 tile
//   (two A slivers × two B slivers, 24 zmm accumulators), twice the flops per instruction; the last
//   6 rows use a 6×32 tile, a last group of ≤16 columns a 12×16 tile (and the AVX2 kernel for its
//   last rows). Every element of C still gets the same fused multiply-adds in the same order, so
//   both paths give bit-identical results.
// * Blocking: KC×32·4 B = 32 KiB of B slivers plus 12×KC·4 B = 12 KiB of A in L1 (48 KiB here);
//   MC×KC·4 B = 120 KiB of packed A and KC×NC·4 B = 1 MiB of packed B in L2 (2 MiB per core here).
// * Threads split C into column (or row) strips; each thread runs the loops above on its strip
//   with its own packing buffers (one pinned array per thread, reused by later calls). K is never
//   split, and every element of C sees exactly the same sequence of operations whatever the strip
//   boundaries are, so results are bit-identical for any number of threads. Strip 0 runs on the
//   calling thread, the others on a few dedicated worker threads (see Workers).
// * Without AVX2/FMA (e.g. on ARM) the same packed algorithm runs with a portable Vector128 kernel.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Kernels;

/// <summary>
/// Fast single-precision general matrix multiply (BLAS <c>sgemm</c>) for row-major matrices:
/// packed, cache-blocked, vectorised (AVX2/FMA, AVX-512 where available) and multi-threaded. Results do not depend on
/// <see cref="MaxThreads"/>.
/// </summary>
public static unsafe class Gemm
{
    /// <summary>Rows of C computed by one micro-kernel call.</summary>
    internal const int MR = 6;
    /// <summary>Columns of C computed by one micro-kernel call (two AVX vectors).</summary>
    internal const int NR = 16;

    // Cache blocking, chosen for this course's reference machine (48 KiB L1d, 2 MiB L2 per core)
    // and sensible on most x86/ARM cores. KC must be the same for every thread of one call.
    /// <summary>Depth of a packed slice (the summed dimension).</summary>
    internal const int KC = 256;
    /// <summary>Rows of A packed at a time (a multiple of MR).</summary>
    internal const int MC = 120;
    /// <summary>Columns of B packed at a time (a multiple of NR).</summary>
    internal const int NC = 1024;

    /// <summary>Problems with m·n·k below this run on the calling thread (threads would cost more than they save).</summary>
    internal const long ParallelThreshold = 64 * 64 * 64;

    /// <summary>The micro-kernel families, slowest to fastest.</summary>
    internal enum Kernel
    {
        /// <summary>Portable Vector128 code (any CPU).</summary>
        Portable,
        /// <summary>6×16 tiles with AVX2 + FMA.</summary>
        Avx2,
        /// <summary>12×32, 6×32 and 12×16 tiles with AVX-512; AVX2 6×16 tiles for what is left.</summary>
        Avx512,
    }

    /// <summary>The fastest kernel this CPU supports.</summary>
    internal static readonly Kernel BestKernel =
        !(Fma.IsSupported && Avx2.IsSupported) ? Kernel.Portable
        : Avx512F.IsSupported ? Kernel.Avx512
        : Kernel.Avx2;

    /// <summary>
    /// Everything that steers one call; <see cref="Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/> uses the defaults, tests and benchmarks
    /// pass their own (smaller blocks, a given kernel or thread count) without changing global state.
    /// </summary>
    internal readonly record struct Options(int KC, int MC, int NC, int Threads, long ParallelThreshold, Kernel Kernel)
    {
        public static Options Default => new(Gemm.KC, Gemm.MC, Gemm.NC, MaxThreads, Gemm.ParallelThreshold, BestKernel);
    }

    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// Largest number of threads one <see cref="Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/> call may use (default: <see cref="Environment.ProcessorCount"/>).
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
        => Sgemm(Options.Default, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary><see cref="Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/> with explicit blocking, threads and kernel.</summary>
    internal static void Sgemm(Options options, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (options.KC < 1 || options.MC < MR || options.MC % MR != 0 || options.NC < NR || options.NC % NR != 0 || options.Threads < 1)
            throw new ArgumentException($"Invalid blocking {options}: KC ≥ 1, MC a multiple of {MR}, NC a multiple of {NR}, Threads ≥ 1.", nameof(options));
        if (m == 0 || n == 0) return;

        fixed (float* pa = a, pb = b, pc = c)
        {
            if (k == 0 || alpha == 0)
            {
                ScaleC(m, n, beta, pc, ldc);
                return;
            }

            // A kernel this CPU lacks falls back to the best one it has.
            Kernel kernel = options.Kernel <= BestKernel ? options.Kernel : BestKernel;
            // One Job object per calling thread, reused: a warm call allocates nothing.
            Job job = t_job ??= new Job();
            job.Set(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc,
                options.KC, options.MC, options.NC, kernel);

            int threads = (long)m * n * k < options.ParallelThreshold ? 1 : options.Threads;
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
            if (!Workers.TryRun(job, parts))
                job.Run(0, m, 0, n);   // the pool is busy with another call: this one runs alone
        }
    }

    // ── Threads ─────────────────────────────────────────────────────────────────────────────
    /// <summary>
    /// A tiny fork–join pool for <see cref="Job"/>s: part 0 runs on the calling thread, part w on
    /// worker thread w. Workers spin briefly after a job (GEMMs tend to come in quick succession)
    /// and then sleep. Only one call uses the pool at a time; a call that finds it busy (e.g. Sgemm
    /// invoked from several threads at once) simply runs on its own thread, which is already parallel.
    /// </summary>
    private static class Workers
    {
        /// <summary>How long an idle worker keeps spinning for the next job before it sleeps.</summary>
        private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5000;   // 200 µs

        private static readonly object s_growLock = new();
        private static Worker[] s_workers = Array.Empty<Worker>();
        private static int s_busy;                 // 1 while a call owns the pool
        private static Job? s_job;
        private static int s_pending;              // parts not finished yet
        private static Exception? s_error;

        private sealed class Worker
        {
            public readonly int Index;
            public readonly SemaphoreSlim Wake = new(0);
            public int Sleeping;                   // 1 while blocked (or about to block) on Wake
            public int Generation;                 // bumped by the caller for every job this worker must run
            public Worker(int index) => Index = index;
        }

        /// <summary>Runs parts 0…parts-1 of <paramref name="job"/>; false (nothing done) if the pool is in use.</summary>
        public static bool TryRun(Job job, int parts)
        {
            if (Interlocked.CompareExchange(ref s_busy, 1, 0) != 0) return false;
            try
            {
                Worker[] workers = EnsureWorkers(parts - 1);
                s_job = job;
                s_error = null;
                Volatile.Write(ref s_pending, parts - 1);
                for (int w = 0; w < parts - 1; w++)
                {
                    Worker worker = workers[w];
                    Interlocked.Increment(ref worker.Generation);
                    if (Interlocked.CompareExchange(ref worker.Sleeping, 0, 1) == 1) worker.Wake.Release();
                }

                Exception? mine = null;
                try { job.RunPart(0); }
                catch (Exception e) { mine = e; }

                // Always wait for the workers, even after a failure or a Thread.Interrupt: they are using this job.
                var spin = new SpinWait();
                while (Volatile.Read(ref s_pending) != 0)
                {
                    try { spin.SpinOnce(sleep1Threshold: -1); }
                    catch (ThreadInterruptedException e) { mine ??= e; }
                }
                s_job = null;
                if (mine is not null) throw mine;
                if (s_error is { } error) throw new AggregateException("A Gemm worker thread failed.", error);
                return true;
            }
            finally
            {
                Volatile.Write(ref s_busy, 0);
            }
        }

        private static Worker[] EnsureWorkers(int count)
        {
            Worker[] workers = s_workers;
            if (workers.Length >= count) return workers;
            lock (s_growLock)
            {
                workers = s_workers;
                if (workers.Length >= count) return workers;
                var grown = new Worker[count];
                Array.Copy(workers, grown, workers.Length);
                for (int w = workers.Length; w < count; w++)
                {
                    var worker = new Worker(w);
                    grown[w] = worker;
                    new Thread(() => Loop(worker)) { IsBackground = true, Name = $"CourseKit Gemm worker {w + 1}" }.Start();
                }
                s_workers = grown;
                return grown;
            }
        }

        private static void Loop(Worker me)
        {
            int seen = 0;
            while (true)
            {
                // Wait for the caller to bump our generation: spin a little, then sleep.
                var spin = new SpinWait();
                long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                while (Volatile.Read(ref me.Generation) == seen)
                {
                    if (System.Diagnostics.Stopwatch.GetTimestamp() < deadline) { spin.SpinOnce(sleep1Threshold: -1); continue; }
                    Interlocked.Exchange(ref me.Sleeping, 1);   // a full fence: the re-check below sees any new job
                    if (Volatile.Read(ref me.Generation) != seen)
                    {
                        // A job arrived while we were going to sleep. If the caller already took our
                        // Sleeping flag it has released (or will release) the semaphore: consume that.
                        if (Interlocked.CompareExchange(ref me.Sleeping, 0, 1) != 1) me.Wake.Wait();
                        break;
                    }
                    me.Wake.Wait();
                }
                seen = Volatile.Read(ref me.Generation);

                try
                {
                    s_job!.RunPart(me.Index + 1);
                }
                catch (Exception e)
                {
                    s_error = e;
                }
                Interlocked.Decrement(ref s_pending);
            }
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
        if (ld < cols || ld < 0)
            throw new ArgumentException($"{ldName} = {ld} is smaller than the row width: {Shape(name, rows, cols, transposed)}, so {ldName} must be at least {cols}.", ldName);
        if (rows == 0 || cols == 0) return;
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"{spanName} is too short: {Shape(name, rows, cols, transposed)} with {ldName} = {ld} needs at least {needed} elements, got {length}.", spanName);
    }

    private static string Shape(string name, int rows, int cols, bool transposed) =>
        $"{name}{(transposed ? " (stored transposed)" : "")} is {rows}×{cols}";

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

    [ThreadStatic] private static Job? t_job;

    /// <summary>The arguments of one call, shared by the threads that work on it.</summary>
    private sealed class Job
    {
        private bool _transA, _transB;
        private int _m, _n, _k;
        private float _alpha, _beta;
        private float* _a, _b, _c;
        private nint _lda, _ldb, _ldc;
        private int _kc, _mc, _nc;
        private Kernel _kernel;
        internal bool SplitN;
        internal int Units, Parts;

        internal void Set(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda,
            float* b, int ldb, float beta, float* c, int ldc, int kc, int mc, int nc, Kernel kernel)
        {
            _kernel = kernel;
            _transA = transA; _transB = transB; _m = m; _n = n; _k = k; _alpha = alpha; _beta = beta;
            _a = a; _b = b; _c = c; _lda = lda; _ldb = ldb; _ldc = ldc;
            _kc = kc; _mc = mc; _nc = nc;
            SplitN = false; Units = Parts = 1;
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
            // B panel first, then A block; the A block gets PackSlack floats of room at its end
            // because the vectorised A packing may write (and later overwrite) a little past a sliver.
            float* packedB = ThreadBuffer((long)kcMax * (mcMax + ncMax) + PackSlack);
            float* packedA = packedB + (long)kcMax * ncMax;

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
                        MacroKernel(_kernel, mc, nc, kc, packedA, packedB, _c + ic * _ldc + jc, _ldc, _alpha, beta);
                    }
                }
            }
        }

        /// <summary>
        /// Packs op(A)[i0:i0+mc, p0:p0+kc] as MR-row slivers: sliver s holds, for each p, the MR values
        /// op(A)[i0+s·MR .. i0+s·MR+MR-1, p0+p] (rows past the edge are zero).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PackA(int i0, int mc, int p0, int kc, float* dst)
        {
            nint lda = _lda;
            bool simd = Avx.IsSupported;
            if (_transA)
            {
                // op(A)[i,p] = a[p*lda + i]: row p of the stored matrix holds op(A)[i0.., p] contiguously.
                // Walk the stored rows in order (friendly to the hardware prefetcher) and deal each
                // row out to the slivers, MR consecutive floats per sliver.
                for (int p = 0; p < kc; p++)
                {
                    float* src = _a + (nint)(p0 + p) * lda + i0;
                    float* d = dst + p * MR;
                    int s = 0;
                    if (simd)
                    {
                        for (; s + MR <= mc; s += MR, d += MR * kc)
                        {
                            // 6 floats as two overlapping 4-float copies (never reads past the 6).
                            Vector128.Store(Vector128.Load(src + s), d);
                            Vector128.Store(Vector128.Load(src + s + 2), d + 2);
                        }
                    }
                    for (; s < mc; s += MR, d += MR * kc)
                        for (int r = 0; r < MR; r++)
                            d[r] = s + r < mc ? src[s + r] : 0f;
                }
                return;
            }
            for (int s = 0; s < mc; s += MR, dst += MR * kc)
            {
                int rows = Math.Min(MR, mc - s);
                // op(A)[i,p] = a[i*lda + p]: MR rows are read side by side and interleaved.
                float* src = _a + (i0 + s) * lda + p0;
                int p = 0;
                if (simd)
                {
                    // 8 steps of p at a time: an 8×8 transpose of (6 rows + 2 zero rows) × 8 columns
                    // (rows past the edge of A are zero too). Each 8-float result row is stored at a
                    // 6-float stride, so its 2 extra floats are overwritten by the next store (or land in
                    // the slack after the block).
                    for (; p + 8 <= kc; p += 8)
                    {
                        Transpose8x8(
                            RowOrZero(src, 0, rows, lda, p), RowOrZero(src, 1, rows, lda, p), RowOrZero(src, 2, rows, lda, p),
                            RowOrZero(src, 3, rows, lda, p), RowOrZero(src, 4, rows, lda, p), RowOrZero(src, 5, rows, lda, p),
                            Vector256<float>.Zero, Vector256<float>.Zero,
                            dst + p * MR, MR);
                    }
                }
                for (; p < kc; p++)
                    for (int r = 0; r < MR; r++)
                        dst[p * MR + r] = r < rows ? src[r * lda + p] : 0f;
            }
        }

        /// <summary>
        /// Packs op(B)[p0:p0+kc, j0:j0+nc] as NR-column slivers: sliver s holds, for each p, the NR values
        /// op(B)[p0+p, j0+s·NR .. j0+s·NR+NR-1] (columns past the edge are zero).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PackB(int p0, int kc, int j0, int nc, float* dst)
        {
            nint ldb = _ldb;
            bool simd = Avx.IsSupported;
            if (!_transB)
            {
                // op(B)[p,j] = b[p*ldb + j]: walk the rows of B in order (friendly to the hardware
                // prefetcher) and deal each row out to the slivers, NR consecutive floats per sliver.
                for (int p = 0; p < kc; p++)
                {
                    float* src = _b + (nint)(p0 + p) * ldb + j0;
                    float* d = dst + p * NR;
                    int s = 0;
                    for (; s + NR <= nc; s += NR, d += NR * kc)
                    {
                        if (simd)
                        {
                            Vector256.Store(Vector256.Load(src + s), d);
                            Vector256.Store(Vector256.Load(src + s + 8), d + 8);
                        }
                        else
                        {
                            for (int j = 0; j < NR; j++) d[j] = src[s + j];
                        }
                    }
                    if (s < nc)
                    {
                        int cols = nc - s;
                        if (simd)
                        {
                            // Masked loads read only the cols valid floats and give zeros for the rest.
                            Vector256.Store(Avx.MaskLoad(src + s, FirstLanes(cols)), d);
                            Vector256.Store(Avx.MaskLoad(src + s + 8, FirstLanes(cols - 8)), d + 8);
                        }
                        else
                        {
                            for (int j = 0; j < NR; j++) d[j] = j < cols ? src[s + j] : 0f;
                        }
                    }
                }
                return;
            }
            for (int s = 0; s < nc; s += NR, dst += NR * kc)
            {
                int cols = Math.Min(NR, nc - s);
                // op(B)[p,j] = b[j*ldb + p]: NR rows of the stored matrix read side by side.
                float* src = _b + (j0 + s) * ldb + p0;
                int p = 0;
                if (simd)
                {
                    // 8 steps of p at a time: two 8×8 transposes (columns 0–7 and 8–15; columns past
                    // the edge of B are zero).
                    for (; p + 8 <= kc; p += 8)
                    {
                        Transpose8x8(
                            RowOrZero(src, 0, cols, ldb, p), RowOrZero(src, 1, cols, ldb, p), RowOrZero(src, 2, cols, ldb, p), RowOrZero(src, 3, cols, ldb, p),
                            RowOrZero(src, 4, cols, ldb, p), RowOrZero(src, 5, cols, ldb, p), RowOrZero(src, 6, cols, ldb, p), RowOrZero(src, 7, cols, ldb, p),
                            dst + p * NR, NR);
                        if (cols > 8)
                            Transpose8x8(
                                RowOrZero(src, 8, cols, ldb, p), RowOrZero(src, 9, cols, ldb, p), RowOrZero(src, 10, cols, ldb, p), RowOrZero(src, 11, cols, ldb, p),
                                RowOrZero(src, 12, cols, ldb, p), RowOrZero(src, 13, cols, ldb, p), RowOrZero(src, 14, cols, ldb, p), RowOrZero(src, 15, cols, ldb, p),
                                dst + p * NR + 8, NR);
                        else
                            for (int q = 0; q < 8; q++) Vector256.Store(Vector256<float>.Zero, dst + (p + q) * NR + 8);
                    }
                }
                for (; p < kc; p++)
                    for (int j = 0; j < NR; j++)
                        dst[p * NR + j] = j < cols ? src[j * ldb + p] : 0f;
            }
        }
    }

    /// <summary>A load mask selecting the first <paramref name="count"/> of 8 lanes (none if count ≤ 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> FirstLanes(int count) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(count)).AsSingle();

    /// <summary>Row <paramref name="r"/> of a sliver, 8 floats from column p, or zeros if the row is past the edge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> RowOrZero(float* first, int r, int rows, nint ld, int p) =>
        r < rows ? Vector256.Load(first + r * ld + p) : Vector256<float>.Zero;

    /// <summary>Extra floats after the packed A block that the vectorised A packing may scribble on.</summary>
    private const int PackSlack = 16;

    /// <summary>
    /// Transposes the 8×8 block whose rows are r0…r7 and stores row q of the result (= column q of
    /// the input) as 8 floats at dst + q·stride, for q = 0…7 in that order. Needs AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7, float* dst, nint stride)
    {
        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x20), dst);
        Vector256.Store(Avx.Permute2x128(u1, u5, 0x20), dst + stride);
        Vector256.Store(Avx.Permute2x128(u2, u6, 0x20), dst + 2 * stride);
        Vector256.Store(Avx.Permute2x128(u3, u7, 0x20), dst + 3 * stride);
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x31), dst + 4 * stride);
        Vector256.Store(Avx.Permute2x128(u1, u5, 0x31), dst + 5 * stride);
        Vector256.Store(Avx.Permute2x128(u2, u6, 0x31), dst + 6 * stride);
        Vector256.Store(Avx.Permute2x128(u3, u7, 0x31), dst + 7 * stride);
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>
    /// C[0:mc, 0:nc] = alpha·Ap·Bp + beta·C for one packed block, tile by tile. Full tiles are written
    /// directly by the micro-kernel; edge tiles go through a scratch tile and a scalar copy that does
    /// exactly the same arithmetic, so results do not depend on where the tile edges fall.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernel(Kernel kernel, int mc, int nc, int kc, float* packedA, float* packedB,
        float* c, nint ldc, float alpha, float beta)
    {
        if (kernel != Kernel.Avx512)
        {
            SmallTiles(kernel, 0, mc, 0, nc, kc, packedA, packedB, c, ldc, alpha, beta);
            return;
        }

        // AVX-512: columns in groups of 32 (two B slivers), or 16 for a last group of at most 16;
        // rows in pairs of A slivers (12), then single slivers (6). Partial tiles go through scratch.
        float* scratch = stackalloc float[2 * MR * 2 * NR + 16];
        scratch = (float*)(((nint)scratch + 63) & ~(nint)63);
        for (int j = 0; j < nc; j += 2 * NR)
        {
            int cols = Math.Min(2 * NR, nc - j);
            float* bSlivers = packedB + (nint)j * kc;
            int i = 0;
            if (cols > NR)
            {
                for (; i + 2 * MR <= mc; i += 2 * MR)                                  // 12×32 tiles
                {
                    float* aSlivers = packedA + (nint)i * kc, cTile = c + i * ldc + j;
                    if (cols == 2 * NR)
                        MicroKernelAvx512(kc, aSlivers, bSlivers, cTile, ldc, alpha, beta);
                    else
                    {
                        MicroKernelAvx512(kc, aSlivers, bSlivers, scratch, 2 * NR, 1f, 0f);
                        StoreTile(scratch, 2 * NR, 2 * MR, cols, cTile, ldc, alpha, beta);
                    }
                }
                for (; i < mc; i += MR)                                                // 6×32 tiles
                {
                    int rows = Math.Min(MR, mc - i);
                    float* aSliver = packedA + (nint)i * kc, cTile = c + i * ldc + j;
                    if (rows == MR && cols == 2 * NR)
                        MicroKernelAvx512Narrow(kc, aSliver, bSlivers, cTile, ldc, alpha, beta);
                    else
                    {
                        MicroKernelAvx512Narrow(kc, aSliver, bSlivers, scratch, 2 * NR, 1f, 0f);
                        StoreTile(scratch, 2 * NR, rows, cols, cTile, ldc, alpha, beta);
                    }
                }
            }
            else
            {
                for (; i + 2 * MR <= mc; i += 2 * MR)                                  // 12×16 tiles
                {
                    float* aSlivers = packedA + (nint)i * kc, cTile = c + i * ldc + j;
                    if (cols == NR)
                        MicroKernelAvx512Tall(kc, aSlivers, bSlivers, cTile, ldc, alpha, beta);
                    else
                    {
                        MicroKernelAvx512Tall(kc, aSlivers, bSlivers, scratch, NR, 1f, 0f);
                        StoreTile(scratch, NR, 2 * MR, cols, cTile, ldc, alpha, beta);
                    }
                }
                SmallTiles(kernel, i, mc, j, j + cols, kc, packedA, packedB, c, ldc, alpha, beta);   // 6×16 tiles
            }
        }
    }

    /// <summary>The MR×NR tiles covering C[i0:i1, j0:j1] of a packed block (i0, j0 multiples of MR, NR).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SmallTiles(Kernel kernel, int i0, int i1, int j0, int j1, int kc, float* packedA, float* packedB,
        float* c, nint ldc, float alpha, float beta)
    {
        if (i0 >= i1 || j0 >= j1) return;
        float* scratch = stackalloc float[MR * NR + 16];
        scratch = (float*)(((nint)scratch + 63) & ~(nint)63);
        bool avx2 = kernel >= Kernel.Avx2;
        for (int jr = j0; jr < j1; jr += NR)
        {
            int cols = Math.Min(NR, j1 - jr);
            float* bSliver = packedB + (nint)jr * kc;
            for (int ir = i0; ir < i1; ir += MR)
            {
                int rows = Math.Min(MR, i1 - ir);
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
                    StoreTile(scratch, NR, rows, cols, cTile, ldc, alpha, beta);
                }
            }
        }
    }

    /// <summary>C[r, j] = alpha·tile[r, j] + beta·C[r, j] for the valid part of a tile (C not read when beta is 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreTile(float* tile, int tileStride, int rows, int cols, float* c, nint ldc, float alpha, float beta)
    {
        for (int r = 0; r < rows; r++, c += ldc, tile += tileStride)
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

        // Ask for the C tile now so that it is in L1 by the time the k loop ends (C rows are
        // far apart in memory and would otherwise miss the cache at the very end).
        if (Sse.IsSupported)
        {
            float* cp = c;
            for (int r = 0; r < MR; r++, cp += ldc) { Sse.Prefetch0(cp); Sse.Prefetch0(cp + NR - 1); }
        }

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
    /// The AVX-512 micro-kernel: a 12×32 tile of C in 24 zmm registers, reading two consecutive packed
    /// A slivers (rows 0–5, 6–11) and two consecutive packed B slivers (columns 0–15, 16–31).
    /// Every element sees the same fused multiply-adds in the same order as in the AVX2 kernel, so
    /// both kernels give bit-identical results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelAvx512(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        float* a2 = a + MR * kc, b2 = b + NR * kc;
        if (Sse.IsSupported)
        {
            float* cp = c;
            for (int r = 0; r < 2 * MR; r++, cp += ldc) { Sse.Prefetch0(cp); Sse.Prefetch0(cp + NR); Sse.Prefetch0(cp + 2 * NR - 1); }
        }
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (int p = 0; p < kc; p++, a += MR, a2 += MR, b += NR, b2 += NR)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b2), ai;
            ai = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00); c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10); c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20); c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30); c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(ai, b0, c40); c41 = Avx512F.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(ai, b0, c50); c51 = Avx512F.FusedMultiplyAdd(ai, b1, c51);
            ai = Vector512.Create(a2[0]); c60 = Avx512F.FusedMultiplyAdd(ai, b0, c60); c61 = Avx512F.FusedMultiplyAdd(ai, b1, c61);
            ai = Vector512.Create(a2[1]); c70 = Avx512F.FusedMultiplyAdd(ai, b0, c70); c71 = Avx512F.FusedMultiplyAdd(ai, b1, c71);
            ai = Vector512.Create(a2[2]); c80 = Avx512F.FusedMultiplyAdd(ai, b0, c80); c81 = Avx512F.FusedMultiplyAdd(ai, b1, c81);
            ai = Vector512.Create(a2[3]); c90 = Avx512F.FusedMultiplyAdd(ai, b0, c90); c91 = Avx512F.FusedMultiplyAdd(ai, b1, c91);
            ai = Vector512.Create(a2[4]); ca0 = Avx512F.FusedMultiplyAdd(ai, b0, ca0); ca1 = Avx512F.FusedMultiplyAdd(ai, b1, ca1);
            ai = Vector512.Create(a2[5]); cb0 = Avx512F.FusedMultiplyAdd(ai, b0, cb0); cb1 = Avx512F.FusedMultiplyAdd(ai, b1, cb1);
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        bool keep = beta != 0;
        StoreRow512(c, c00, c01, va, vb, keep); c += ldc;
        StoreRow512(c, c10, c11, va, vb, keep); c += ldc;
        StoreRow512(c, c20, c21, va, vb, keep); c += ldc;
        StoreRow512(c, c30, c31, va, vb, keep); c += ldc;
        StoreRow512(c, c40, c41, va, vb, keep); c += ldc;
        StoreRow512(c, c50, c51, va, vb, keep); c += ldc;
        StoreRow512(c, c60, c61, va, vb, keep); c += ldc;
        StoreRow512(c, c70, c71, va, vb, keep); c += ldc;
        StoreRow512(c, c80, c81, va, vb, keep); c += ldc;
        StoreRow512(c, c90, c91, va, vb, keep); c += ldc;
        StoreRow512(c, ca0, ca1, va, vb, keep); c += ldc;
        StoreRow512(c, cb0, cb1, va, vb, keep);
    }

    /// <summary>
    /// The AVX-512 micro-kernel for the last 6 rows of a block: a 6×32 tile of C in 12 zmm registers
    /// (one A sliver, two consecutive B slivers); same arithmetic as the other kernels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelAvx512Narrow(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        float* b2 = b + NR * kc;
        if (Sse.IsSupported)
        {
            float* cp = c;
            for (int r = 0; r < MR; r++, cp += ldc) { Sse.Prefetch0(cp); Sse.Prefetch0(cp + NR); Sse.Prefetch0(cp + 2 * NR - 1); }
        }
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += MR, b += NR, b2 += NR)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b2), ai;
            ai = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00); c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10); c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20); c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30); c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(ai, b0, c40); c41 = Avx512F.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(ai, b0, c50); c51 = Avx512F.FusedMultiplyAdd(ai, b1, c51);
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        bool keep = beta != 0;
        StoreRow512(c, c00, c01, va, vb, keep); c += ldc;
        StoreRow512(c, c10, c11, va, vb, keep); c += ldc;
        StoreRow512(c, c20, c21, va, vb, keep); c += ldc;
        StoreRow512(c, c30, c31, va, vb, keep); c += ldc;
        StoreRow512(c, c40, c41, va, vb, keep); c += ldc;
        StoreRow512(c, c50, c51, va, vb, keep);
    }

    /// <summary>
    /// The AVX-512 micro-kernel for a last group of at most 16 columns: a 12×16 tile of C in 12 zmm
    /// registers (two A slivers, one B sliver); same arithmetic as the other kernels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernelAvx512Tall(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        float* a2 = a + MR * kc;
        if (Sse.IsSupported)
        {
            float* cp = c;
            for (int r = 0; r < 2 * MR; r++, cp += ldc) { Sse.Prefetch0(cp); Sse.Prefetch0(cp + NR - 1); }
        }
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> c6 = default, c7 = default, c8 = default, c9 = default, ca = default, cb = default;
        for (int p = 0; p < kc; p++, a += MR, a2 += MR, b += NR)
        {
            Vector512<float> b0 = Vector512.Load(b);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[0]), b0, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[1]), b0, c7);
            c8 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[2]), b0, c8);
            c9 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[3]), b0, c9);
            ca = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[4]), b0, ca);
            cb = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[5]), b0, cb);
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        bool keep = beta != 0;
        StoreVector512(c, c0, va, vb, keep); c += ldc;
        StoreVector512(c, c1, va, vb, keep); c += ldc;
        StoreVector512(c, c2, va, vb, keep); c += ldc;
        StoreVector512(c, c3, va, vb, keep); c += ldc;
        StoreVector512(c, c4, va, vb, keep); c += ldc;
        StoreVector512(c, c5, va, vb, keep); c += ldc;
        StoreVector512(c, c6, va, vb, keep); c += ldc;
        StoreVector512(c, c7, va, vb, keep); c += ldc;
        StoreVector512(c, c8, va, vb, keep); c += ldc;
        StoreVector512(c, c9, va, vb, keep); c += ldc;
        StoreVector512(c, ca, va, vb, keep); c += ldc;
        StoreVector512(c, cb, va, vb, keep);
    }

    /// <summary>c[0:16] = x·alpha (+ beta·c[0:16] with one fused multiply-add when <paramref name="keep"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreVector512(float* c, Vector512<float> x, Vector512<float> va, Vector512<float> vb, bool keep)
    {
        if (keep) Vector512.Store(Avx512F.FusedMultiplyAdd(x, va, vb * Vector512.Load(c)), c);
        else Vector512.Store(x * va, c);
    }

    /// <summary>c[0:32] = x·alpha (+ beta·c[0:32] with one fused multiply-add when <paramref name="keep"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow512(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> va, Vector512<float> vb, bool keep)
    {
        if (keep)
        {
            Vector512.Store(Avx512F.FusedMultiplyAdd(x0, va, vb * Vector512.Load(c)), c);
            Vector512.Store(Avx512F.FusedMultiplyAdd(x1, va, vb * Vector512.Load(c + 16)), c + 16);
        }
        else
        {
            Vector512.Store(x0 * va, c);
            Vector512.Store(x1 * va, c + 16);
        }
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
