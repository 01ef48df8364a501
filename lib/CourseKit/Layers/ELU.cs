using System.Globalization;

namespace CourseKit;

/// <summary>Exponential linear unit (like <c>nn.ELU</c>): x for x &gt; 0, α(eˣ − 1) otherwise — smooth, and saturating at −α.</summary>
/// <param name="alpha">α, the value approached for very negative inputs is −α.</param>
public sealed class ELU(float alpha = 1f) : Module
{
    /// <summary>α: negative inputs map to α(eˣ − 1).</summary>
    public float Alpha { get; } = alpha;

    /// <summary>x for x &gt; 0, α(eˣ − 1) otherwise.</summary>
    public override Tensor Forward(Tensor input) => F.Elu(input, Alpha);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"alpha={Alpha.ToString(CultureInfo.InvariantCulture)}";
}
