namespace CourseKit;

public static partial class F
{
    /// <summary>
    /// Inverted dropout: in training each element is zeroed with probability <paramref name="p"/> and
    /// the survivors are scaled by 1/(1 − p), so the expected value is unchanged and evaluation needs
    /// no rescaling. Returns the input itself when not training or when p = 0. The mask is drawn from <see cref="Rng"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not in [0, 1).</exception>
    public static Tensor Dropout(Tensor input, float p = 0.5f, bool training = true)
    {
        CheckDropoutProbability(p);
        if (!training || p == 0) return input;
        float keepScale = 1f / (1f - p);
        var mask = new float[input.Numel];
        Rng.FillUniform(mask);
        for (int i = 0; i < mask.Length; i++) mask[i] = mask[i] < p ? 0f : keepScale;
        var m = new Tensor(mask, input.Shape);
        var y = Tensor.Binary(input, m, BinaryOp.Multiply, "Dropout");
        return Tensor.Record(y, "Dropout", [input], g => [g * m]);          // y = x·m  ⇒  dx = g·m
    }

    /// <summary>Throws unless 0 ≤ p &lt; 1 (shared by <see cref="Dropout(Tensor, float, bool)"/> and the Dropout layer).</summary>
    internal static void CheckDropoutProbability(float p)
    {
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), p,
                $"Dropout: p is the probability of zeroing an element and must satisfy 0 ≤ p < 1 (survivors are scaled by 1/(1 − p)); got p = {p}.");
    }
}
