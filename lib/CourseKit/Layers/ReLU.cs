namespace CourseKit;

/// <summary>The rectified linear unit max(0, x), element-wise (like <c>nn.ReLU</c>).</summary>
public sealed class ReLU : Module
{
    /// <summary>max(0, x).</summary>
    public override Tensor Forward(Tensor input) => F.Relu(input);
}
