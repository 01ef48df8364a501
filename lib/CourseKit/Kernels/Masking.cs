using System.Numerics;

namespace CourseKit.Kernels;

/// <summary>
/// Branch-free SIMD loops for gradients that pass through where a condition holds (ReLU and friends).
/// A plain <c>if</c> per element mispredicts on half of random activations and runs several times slower.
/// </summary>
internal static class Masking
{
    /// <summary>destination[i] = y[i] &gt; 0 ? g[i] : 0 — the ReLU backward, given the ReLU output y.</summary>
    public static void PassWherePositive(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> destination)
    {
        if (y.Length != g.Length || destination.Length < y.Length)
            throw new ArgumentException("PassWherePositive: spans must have equal lengths.");
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            for (; i <= y.Length - width; i += width)
            {
                var positive = Vector.GreaterThan(new Vector<float>(y.Slice(i)), Vector<float>.Zero);
                Vector.ConditionalSelect(positive, new Vector<float>(g.Slice(i)), Vector<float>.Zero).CopyTo(destination.Slice(i));
            }
        }
        for (; i < y.Length; i++) destination[i] = y[i] > 0f ? g[i] : 0f;
    }
}
