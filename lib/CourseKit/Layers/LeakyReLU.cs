using System.Globalization;

namespace CourseKit;

/// <summary>Leaky ReLU (like <c>nn.LeakyReLU</c>): x for x &gt; 0, negative_slope·x otherwise, so negative inputs still get a small gradient.</summary>
/// <param name="negativeSlope">The slope for negative inputs.</param>
public sealed class LeakyReLU(float negativeSlope = 0.01f) : Module
{
    /// <summary>The slope for negative inputs.</summary>
    public float NegativeSlope { get; } = negativeSlope;

    /// <summary>x for x &gt; 0, negative_slope·x otherwise.</summary>
    public override Tensor Forward(Tensor input) => F.LeakyRelu(input, NegativeSlope);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"negative_slope={NegativeSlope.ToString(CultureInfo.InvariantCulture)}";
}
