namespace CourseKit;

/// <summary>The hyperbolic tangent, element-wise (like <c>nn.Tanh</c>): squashes to (−1, 1).</summary>
public sealed class Tanh : Module
{
    /// <summary>tanh(x).</summary>
    public override Tensor Forward(Tensor input) => F.Tanh(input);
}
