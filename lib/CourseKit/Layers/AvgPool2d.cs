namespace CourseKit;

/// <summary>
/// Average pooling layer (like <c>nn.AvgPool2d</c>): replaces each k×k window of each channel by its
/// mean. No parameters; the gradient of each output is shared equally by the pixels of its window.
/// </summary>
/// <example><c>new AvgPool2d(2)</c>: (N, C, 28, 28) → (N, C, 14, 14), as in LeNet-5's subsampling layers.</example>
public sealed class AvgPool2d : Module
{
    /// <summary>Window size k (k×k).</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows (defaults to the kernel size).</summary>
    public int Stride { get; }

    /// <summary>Zero padding on every side (at most k/2).</summary>
    public int Padding { get; }

    /// <summary>Whether padding zeros count in the mean (PyTorch's default: every window divides by k·k).</summary>
    public bool CountIncludePad { get; }

    /// <summary>Creates the layer; fails at once on a zero stride or a padding above k/2.</summary>
    /// <param name="kernelSize">Window size k.</param>
    /// <param name="stride">Step between windows; default k.</param>
    /// <param name="padding">Zero padding on every side.</param>
    /// <param name="countIncludePad">Whether padding zeros count in the mean.</param>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true)
    {
        KernelSize = kernelSize; Stride = stride ?? kernelSize; Padding = padding; CountIncludePad = countIncludePad;
        F.CheckPoolParameters(Describe(), KernelSize, Stride, Padding, 1);
    }

    /// <summary>y[n, c, i, j] = mean of x[n, c] over window (i, j).</summary>
    public override Tensor Forward(Tensor input) => F.AvgPool2d(input, KernelSize, Stride, Padding, CountIncludePad, Describe());

    private string Describe() => $"AvgPool2d(k={KernelSize}, s={Stride}{(Padding != 0 ? $", p={Padding}" : "")})";

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}{(CountIncludePad ? "" : ", count_include_pad=False")}";
}
