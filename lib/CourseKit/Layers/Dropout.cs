namespace CourseKit;

/// <summary>
/// Dropout (like <c>nn.Dropout</c>): in training, zeroes each element with probability p and scales
/// the rest by 1/(1 − p), so that no unit can rely on any other; in evaluation it passes the input through.
/// </summary>
public sealed class Dropout : Module
{
    /// <summary>The probability of zeroing an element, 0 ≤ p &lt; 1.</summary>
    public float P { get; }

    /// <summary>Creates the layer.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not in [0, 1).</exception>
    public Dropout(float p = 0.5f)
    {
        F.CheckDropoutProbability(p);
        P = p;
    }

    /// <summary>The input with a fresh random mask applied (training) or unchanged (evaluation).</summary>
    public override Tensor Forward(Tensor input) => F.Dropout(input, P, Training);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"p={P.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
