namespace CourseKit;

/// <summary>The logistic sigmoid σ(x) = 1/(1 + e⁻ˣ), element-wise (like <c>nn.Sigmoid</c>): squashes to (0, 1).</summary>
public sealed class Sigmoid : Module
{
    /// <summary>σ(x).</summary>
    public override Tensor Forward(Tensor input) => F.Sigmoid(input);
}
