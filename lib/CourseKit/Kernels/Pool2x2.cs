// ─────────────────────────────────────────────────────────────────────────────────────────────
// Pool2x2: max pooling with 2×2 windows and stride 2 — the pooling of nearly every CNN — with
// AVX2, eight windows at a time. F.Pooling.cs has the general loops; the tests check that both
// give the same outputs, winners and gradients.
//
// Eight windows side by side cover 16 pixels of two image rows. Splitting each row into its even
// and odd pixels gives the four candidates of all eight windows as four vectors (a b / c d); the
// winner is found with the same rule as the general loop (the first largest value; NaN wins).
// Backward writes every pixel of the plane: dy at each window's winner, 0 at the other three (and
// at a last odd row or column that no window covers), so the gradient needs no zeroed buffer.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CourseKit.Kernels;

/// <summary>Max pooling with 2×2 windows, stride 2, no padding or dilation: forward with winners, and backward.</summary>
internal static class Pool2x2
{
    /// <summary>True for 2×2 windows with stride 2, no padding and no dilation.</summary>
    public static bool Applies(in WindowGeometry g) =>
        g.KernelH == 2 && g.KernelW == 2 && g.StrideH == 2 && g.StrideW == 2 && g.PadTop == 0 && g.PadLeft == 0
        && g.DilationH == 1 && g.DilationW == 1;

    /// <summary>y[i, j] = max of the window at (2i, 2j) of one plane; argmax[i, j] = the winner's index in the plane.</summary>
    public static unsafe void Forward(ReadOnlySpan<float> x, in WindowGeometry g, Span<float> y, Span<int> argmax)
    {
        int width = g.Width, outH = g.OutHeight, outW = g.OutWidth;
        if (x.Length < g.InputArea || y.Length < g.OutputArea || argmax.Length < g.OutputArea)
            throw new ArgumentException("Pool2x2.Forward: a span is too short for the geometry.");
        fixed (float* px = x, py = y)
        fixed (int* pa = argmax)
            for (int i = 0; i < outH; i++)
            {
                float* top = px + 2 * i * width, bottom = top + width;
                float* yRow = py + i * outW;
                int* aRow = pa + i * outW;
                int j = 0;
                if (Avx2.IsSupported)
                {
                    var lane2 = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
                    for (; j + 8 <= outW; j += 8)
                    {
                        var (a, b) = EvenOdd(top + 2 * j);
                        var (c, d) = EvenOdd(bottom + 2 * j);
                        var at = Vector256.Create(2 * i * width + 2 * j) + lane2;
                        var best = a;
                        var bestAt = at;
                        Challenge(ref best, ref bestAt, b, at + Vector256.Create(1));
                        Challenge(ref best, ref bestAt, c, at + Vector256.Create(width));
                        Challenge(ref best, ref bestAt, d, at + Vector256.Create(width + 1));
                        Avx.Store(yRow + j, best);
                        Avx.Store(aRow + j, bestAt);
                    }
                }
                for (; j < outW; j++)
                {
                    int first = 2 * i * width + 2 * j;
                    float best = px[first];
                    int bestAt = first;
                    foreach (int at in stackalloc[] { first + 1, first + width, first + width + 1 })
                        if (px[at] > best || float.IsNaN(px[at]) && !float.IsNaN(best)) { best = px[at]; bestAt = at; }
                    yRow[j] = best;
                    aRow[j] = bestAt;
                }
            }
    }

    /// <summary>dx = dy at each window's winner and 0 everywhere else in the plane (every element is written).</summary>
    public static unsafe void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, in WindowGeometry g, Span<float> dx)
    {
        int width = g.Width, outH = g.OutHeight, outW = g.OutWidth;
        if (dx.Length < g.InputArea || dy.Length < g.OutputArea || argmax.Length < g.OutputArea)
            throw new ArgumentException("Pool2x2.Backward: a span is too short for the geometry.");
        fixed (float* pdy = dy, pdx = dx)
        fixed (int* pa = argmax)
        {
            for (int i = 0; i < outH; i++)
            {
                float* top = pdx + 2 * i * width, bottom = top + width;
                float* dyRow = pdy + i * outW;
                int* aRow = pa + i * outW;
                int j = 0;
                if (Avx2.IsSupported)
                {
                    var lane2 = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
                    for (; j + 8 <= outW; j += 8)
                    {
                        var grad = Avx.LoadVector256(dyRow + j);
                        var winner = Avx.LoadVector256(aRow + j);
                        var at = Vector256.Create(2 * i * width + 2 * j) + lane2;
                        Interleave(top + 2 * j, Pass(grad, winner, at), Pass(grad, winner, at + Vector256.Create(1)));
                        Interleave(bottom + 2 * j, Pass(grad, winner, at + Vector256.Create(width)), Pass(grad, winner, at + Vector256.Create(width + 1)));
                    }
                }
                for (; j < outW; j++)
                {
                    int first = 2 * i * width + 2 * j;
                    top[2 * j] = aRow[j] == first ? dyRow[j] : 0f;
                    top[2 * j + 1] = aRow[j] == first + 1 ? dyRow[j] : 0f;
                    bottom[2 * j] = aRow[j] == first + width ? dyRow[j] : 0f;
                    bottom[2 * j + 1] = aRow[j] == first + width + 1 ? dyRow[j] : 0f;
                }
                if (width > 2 * outW)                                           // a last odd column: no window covers it
                {
                    top[width - 1] = 0f;
                    bottom[width - 1] = 0f;
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

    /// <summary>A later candidate wins if it is larger, or NaN while the best so far is not (as in the general loop).</summary>
    private static void Challenge(ref Vector256<float> best, ref Vector256<int> bestAt, Vector256<float> value, Vector256<int> at)
    {
        var larger = Avx.CompareGreaterThan(value, best);
        var nan = Avx.AndNot(Avx.CompareUnordered(best, best), Avx.CompareUnordered(value, value));
        var wins = Avx.Or(larger, nan);
        best = Avx.BlendVariable(best, value, wins);
        bestAt = Avx.BlendVariable(bestAt.AsSingle(), at.AsSingle(), wins).AsInt32();
    }

    private static Vector256<float> Pass(Vector256<float> grad, Vector256<int> winner, Vector256<int> at) =>
        Avx.And(grad, Avx2.CompareEqual(winner, at).AsSingle());
}
