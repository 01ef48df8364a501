namespace CourseKit;

public static partial class F
{
    /// <summary>
    /// Inverted dropout: in training each element is zeroed with probability <paramref name="p"/> and
    /// the survivors are scaled by 1/(1 − p), so the expected value is unchanged and evaluation needs
    /// no rescaling. Returns the input itself when not training or when p = 0. The mask is a function of a
    /// seed drawn from <see cref="Rng"/> (so <see cref="Rng.ManualSeed"/> repeats it) and of each element's index.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not in [0, 1).</exception>
    public static Tensor Dropout(Tensor input, float p = 0.5f, bool training = true)
    {
        CheckDropoutProbability(p);
        if (!training || p == 0) return input;
        float keepScale = 1f / (1f - p);
        var x = input.Materialize();
        int n = x.Numel;
        var mask = Kernels.LargeBuffers.Allocate(n, zeroed: false);
        var y = Kernels.LargeBuffers.Allocate(n, zeroed: false);
        uint seed = Rng.NextUInt32(), threshold = (uint)Math.Round(p * (1 << 24));   // drop when 24 random bits < p·2²⁴
        Kernels.ParallelChunks.For(n, (start, count) => Kernels.Masking.Dropout(seed, start, threshold, keepScale,
            x.Storage.AsSpan(x.Offset + start, count), mask.AsSpan(start, count), y.AsSpan(start, count)));
        var m = new Tensor(mask, input.Shape);
        return Tensor.Record(new Tensor(y, input.Shape), "Dropout", [input], g => [g * m]);   // y = x·m  ⇒  dx = g·m
    }

    /// <summary>Throws unless 0 ≤ p &lt; 1 (shared by <see cref="Dropout(Tensor, float, bool)"/> and the Dropout layer).</summary>
    internal static void CheckDropoutProbability(float p)
    {
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), p,
                $"Dropout: p is the probability of zeroing an element and must satisfy 0 ≤ p < 1 (survivors are scaled by 1/(1 − p)); got p = {p}.");
    }
}
