using System.Numerics;

namespace CourseKit.Kernels;

/// <summary>
/// Branch-free SIMD loops for gradients that pass through where a condition holds (ReLU and friends),
/// and the dropout mask.
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

    /// <summary>
    /// Inverted dropout of elements first … first + x.Length − 1: each element's fate is a hash of
    /// (seed, its index), so chunks can run on any thread and give the same mask. mask[i] is 1/(1 − p)
    /// for a survivor and 0 for a dropped element (the chance of dropping is threshold / 2²⁴), and
    /// y[i] = x[i]·mask[i].
    /// </summary>
    public static void Dropout(uint seed, int first, uint threshold, float keepScale, ReadOnlySpan<float> x, Span<float> mask, Span<float> y)
    {
        if (mask.Length < x.Length || y.Length < x.Length)
            throw new ArgumentException("Dropout: spans must have equal lengths.");
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            Span<uint> indices = stackalloc uint[Vector<uint>.Count];
            for (int lane = 0; lane < indices.Length; lane++) indices[lane] = (uint)lane;
            var lanes = new Vector<uint>(indices);
            var scale = new Vector<float>(keepScale);
            var limit = new Vector<uint>(threshold);
            for (; i <= x.Length - width; i += width)
            {
                var keep = Vector.GreaterThanOrEqual(Hash(new Vector<uint>((uint)(first + i)) + lanes, seed) >> 8, limit);
                var m = Vector.ConditionalSelect(keep.As<uint, int>(), scale, Vector<float>.Zero);
                m.CopyTo(mask.Slice(i));
                (new Vector<float>(x.Slice(i)) * m).CopyTo(y.Slice(i));
            }
        }
        for (; i < x.Length; i++)
        {
            mask[i] = Hash((uint)(first + i), seed) >> 8 >= threshold ? keepScale : 0f;
            y[i] = x[i] * mask[i];
        }
    }

    /// <summary>A well-mixed 32-bit hash of an index (the "lowbias32" finaliser applied to index·φ + seed).</summary>
    private static uint Hash(uint index, uint seed)
    {
        uint h = index * 0x9E3779B9u + seed;
        h ^= h >> 16; h *= 0x7FEB352Du;
        h ^= h >> 15; h *= 0x846CA68Bu;
        return h ^ (h >> 16);
    }

    private static Vector<uint> Hash(Vector<uint> index, uint seed)
    {
        var h = index * new Vector<uint>(0x9E3779B9u) + new Vector<uint>(seed);
        h ^= h >> 16; h *= new Vector<uint>(0x7FEB352Du);
        h ^= h >> 15; h *= new Vector<uint>(0x846CA68Bu);
        return h ^ (h >> 16);
    }
}
