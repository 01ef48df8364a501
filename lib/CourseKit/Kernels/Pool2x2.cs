// ─────────────────────────────────────────────────────────────────────────────────────────────
// Pool2x2: max pooling with 2×2 windows and stride 2 — the pooling of nearly every CNN — with
// AVX2, eight windows at a time (four with SSE when a row has fewer than eight). F.Pooling.cs has
// the general loops; the tests check that both give the same outputs, winners and gradients.
//
// Eight windows side by side cover 16 pixels of two image rows. Splitting each row into its even
// and odd pixels gives the four candidates of all eight windows as four vectors (a b / c d); the
// maximum is found with the same rule as the general loop (the first largest value; NaN wins).
// No winner positions are stored: backward finds each window's winner again as the first of its
// pixels equal to the output, and writes every pixel of the plane — dy at the winner, 0 at the other
// three (and at a last odd row or column that no window covers) — so it needs no zeroed buffer.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Kernels;

/// <summary>Max pooling with 2×2 windows, stride 2, no padding or dilation: forward, and backward from the input and output.</summary>
internal static class Pool2x2
{
    /// <summary>True for 2×2 windows with stride 2, no padding and no dilation.</summary>
    public static bool Applies(in WindowGeometry g) =>
        g.KernelH == 2 && g.KernelW == 2 && g.StrideH == 2 && g.StrideW == 2 && g.PadTop == 0 && g.PadLeft == 0
        && g.DilationH == 1 && g.DilationW == 1;

    /// <summary>y[i, j] = the largest value of the window at (2i, 2j) of one plane (NaN wins).</summary>
    public static unsafe void Forward(ReadOnlySpan<float> x, in WindowGeometry g, Span<float> y)
    {
        int width = g.Width, outH = g.OutHeight, outW = g.OutWidth;
        if (x.Length < g.InputArea || y.Length < g.OutputArea)
            throw new ArgumentException("Pool2x2.Forward: a span is too short for the geometry.");
        fixed (float* px = x, py = y)
            for (int i = 0; i < outH; i++)
            {
                float* top = px + 2 * i * width, bottom = top + width, yRow = py + i * outW;
                int j = 0;
                if (Avx2.IsSupported && outW >= 8)
                    for (; j < outW; j += 8)
                    {
                        j = Math.Min(j, outW - 8);                              // a last, overlapping group of 8 instead of a scalar tail
                        var (a, b) = EvenOdd(top + 2 * j);
                        var (c, d) = EvenOdd(bottom + 2 * j);
                        Avx.Store(yRow + j, Larger(Larger(Larger(a, b), c), d));
                    }
                else if (Sse41.IsSupported && outW >= 4)
                    for (; j < outW; j += 4)
                    {
                        j = Math.Min(j, outW - 4);
                        var (a, b) = EvenOdd4(top + 2 * j);
                        var (c, d) = EvenOdd4(bottom + 2 * j);
                        Sse.Store(yRow + j, Larger(Larger(Larger(a, b), c), d));
                    }
                for (; j < outW; j++)
                    yRow[j] = Larger(Larger(Larger(top[2 * j], top[2 * j + 1]), bottom[2 * j]), bottom[2 * j + 1]);
            }
    }

    /// <summary>
    /// dx = dy at each window's winner — the first of its four pixels (row by row) equal to the window's
    /// output y, or the first NaN when y is NaN, exactly the pixel the forward pass kept — and 0 everywhere
    /// else in the plane (every element is written). With <paramref name="relu"/>, y is ReLU of the pooled values
    /// and dy counts only where y &gt; 0 (the ReLU's backward; a window whose maximum was clipped gets no gradient).
    /// </summary>
    public static unsafe void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, in WindowGeometry g, Span<float> dx,
        bool relu = false)
    {
        int width = g.Width, outH = g.OutHeight, outW = g.OutWidth;
        if (x.Length < g.InputArea || dx.Length < g.InputArea || y.Length < g.OutputArea || dy.Length < g.OutputArea)
            throw new ArgumentException("Pool2x2.Backward: a span is too short for the geometry.");
        fixed (float* px = x, py = y, pdy = dy, pdx = dx)
        {
            for (int i = 0; i < outH; i++)
            {
                float* top = px + 2 * i * width, bottom = top + width;
                float* dxTop = pdx + 2 * i * width, dxBottom = dxTop + width;
                float* yRow = py + i * outW, dyRow = pdy + i * outW;
                int j = 0;
                if (Avx2.IsSupported && outW >= 8)
                    for (; j < outW; j += 8)
                    {
                        j = Math.Min(j, outW - 8);                              // overlapping windows are written twice, identically
                        var (a, b) = EvenOdd(top + 2 * j);
                        var (c, d) = EvenOdd(bottom + 2 * j);
                        Vector256<float> best = Avx.LoadVector256(yRow + j), grad = Avx.LoadVector256(dyRow + j);
                        if (relu) grad = Avx.And(grad, Avx.CompareGreaterThan(best, Vector256<float>.Zero));
                        var isA = Same(a, best);
                        var isB = Avx.AndNot(isA, Same(b, best));
                        var taken = Avx.Or(isA, isB);
                        var isC = Avx.AndNot(taken, Same(c, best));
                        var isD = Avx.AndNot(Avx.Or(taken, isC), Vector256<float>.AllBitsSet);
                        Interleave(dxTop + 2 * j, Avx.And(grad, isA), Avx.And(grad, isB));
                        Interleave(dxBottom + 2 * j, Avx.And(grad, isC), Avx.And(grad, isD));
                    }
                else if (Sse41.IsSupported && outW >= 4)
                    for (; j < outW; j += 4)
                    {
                        j = Math.Min(j, outW - 4);
                        var (a, b) = EvenOdd4(top + 2 * j);
                        var (c, d) = EvenOdd4(bottom + 2 * j);
                        Vector128<float> best = Sse.LoadVector128(yRow + j), grad = Sse.LoadVector128(dyRow + j);
                        if (relu) grad = Sse.And(grad, Sse.CompareGreaterThan(best, Vector128<float>.Zero));
                        var isA = Same(a, best);
                        var isB = Sse.AndNot(isA, Same(b, best));
                        var taken = Sse.Or(isA, isB);
                        var isC = Sse.AndNot(taken, Same(c, best));
                        var isD = Sse.AndNot(Sse.Or(taken, isC), Vector128<float>.AllBitsSet);
                        Interleave4(dxTop + 2 * j, Sse.And(grad, isA), Sse.And(grad, isB));
                        Interleave4(dxBottom + 2 * j, Sse.And(grad, isC), Sse.And(grad, isD));
                    }
                for (; j < outW; j++)
                {
                    float best = yRow[j], grad = relu && !(best > 0f) ? 0f : dyRow[j];
                    int winner = Same(top[2 * j], best) ? 0 : Same(top[2 * j + 1], best) ? 1 : Same(bottom[2 * j], best) ? 2 : 3;
                    dxTop[2 * j] = winner == 0 ? grad : 0f;
                    dxTop[2 * j + 1] = winner == 1 ? grad : 0f;
                    dxBottom[2 * j] = winner == 2 ? grad : 0f;
                    dxBottom[2 * j + 1] = winner == 3 ? grad : 0f;
                }
                if (width > 2 * outW)                                           // a last odd column: no window covers it
                {
                    dxTop[width - 1] = 0f;
                    dxBottom[width - 1] = 0f;
                }
            }
            new Span<float>(pdx + 2 * outH * width, g.InputArea - 2 * outH * width).Clear();   // a last odd row
        }
    }

    /// <summary>The 8 even- and 8 odd-indexed floats of 16 consecutive ones.</summary>
    private static unsafe (Vector256<float> Even, Vector256<float> Odd) EvenOdd(float* p)
    {
        Vector256<float> lo = Avx.LoadVector256(p), hi = Avx.LoadVector256(p + 8);
        // Within each 128-bit half: (lo0 lo2 hi0 hi2) and (lo1 lo3 hi1 hi3); then put the 64-bit pairs in order.
        var even = Avx.Shuffle(lo, hi, 0b10_00_10_00).AsDouble();
        var odd = Avx.Shuffle(lo, hi, 0b11_01_11_01).AsDouble();
        return (Avx2.Permute4x64(even, 0b11_01_10_00).AsSingle(), Avx2.Permute4x64(odd, 0b11_01_10_00).AsSingle());
    }

    /// <summary>Stores even[0], odd[0], even[1], odd[1], … as 16 consecutive floats (the inverse of <see cref="EvenOdd"/>).</summary>
    private static unsafe void Interleave(float* p, Vector256<float> even, Vector256<float> odd)
    {
        Vector256<float> low = Avx.UnpackLow(even, odd), high = Avx.UnpackHigh(even, odd);
        Avx.Store(p, Avx.Permute2x128(low, high, 0x20));
        Avx.Store(p + 8, Avx.Permute2x128(low, high, 0x31));
    }

    /// <summary>The 4 even- and 4 odd-indexed floats of 8 consecutive ones.</summary>
    private static unsafe (Vector128<float> Even, Vector128<float> Odd) EvenOdd4(float* p)
    {
        Vector128<float> lo = Sse.LoadVector128(p), hi = Sse.LoadVector128(p + 4);
        return (Sse.Shuffle(lo, hi, 0b10_00_10_00), Sse.Shuffle(lo, hi, 0b11_01_11_01));
    }

    /// <summary>Stores even[0], odd[0], … even[3], odd[3] as 8 consecutive floats (the inverse of <see cref="EvenOdd4"/>).</summary>
    private static unsafe void Interleave4(float* p, Vector128<float> even, Vector128<float> odd)
    {
        Sse.Store(p, Sse.UnpackLow(even, odd));
        Sse.Store(p + 4, Sse.UnpackHigh(even, odd));
    }

    /// <summary>The later value replaces the best so far if it is larger, or NaN while the best is not (the first largest wins).</summary>
    private static float Larger(float best, float value) => value > best || float.IsNaN(value) && !float.IsNaN(best) ? value : best;

    // Max(value, best) is value > best ? value : best (MAXPS returns its second operand unless the first is larger),
    // which is the rule above except when value is NaN; the blend then takes the NaN.
    private static Vector256<float> Larger(Vector256<float> best, Vector256<float> value) =>
        Avx.BlendVariable(Avx.Max(value, best), value, Avx.CompareUnordered(value, value));

    private static Vector128<float> Larger(Vector128<float> best, Vector128<float> value) =>
        Sse41.BlendVariable(Sse.Max(value, best), value, Sse.CompareUnordered(value, value));

    /// <summary>value is the window's output: equal to it, or both NaN.</summary>
    private static bool Same(float value, float best) => value == best || float.IsNaN(value) && float.IsNaN(best);

    private static Vector256<float> Same(Vector256<float> value, Vector256<float> best) =>
        Avx.Or(Avx.CompareEqual(value, best), Avx.And(Avx.CompareUnordered(value, value), Avx.CompareUnordered(best, best)));

    private static Vector128<float> Same(Vector128<float> value, Vector128<float> best) =>
        Sse.Or(Sse.CompareEqual(value, best), Sse.And(Sse.CompareUnordered(value, value), Sse.CompareUnordered(best, best)));
}
