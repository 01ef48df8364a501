namespace CourseKit;

/// <summary>
/// Max pooling layer (like <c>nn.MaxPool2d</c>): keeps the largest value of each k×k window of each
/// channel, shrinking the image (k = 2, stride 2 halves height and width) and making the features
/// slightly translation-invariant. No parameters; the gradient goes to the winning pixel of each window.
/// </summary>
/// <example><c>new MaxPool2d(2)</c>: (N, C, 28, 28) → (N, C, 14, 14).</example>
public sealed class MaxPool2d : Module
{
    /// <summary>Window size k (k×k).</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows (defaults to the kernel size: non-overlapping windows).</summary>
    public int Stride { get; }

    /// <summary>−∞ padding on every side (at most k/2).</summary>
    public int Padding { get; }

    /// <summary>Spacing between the pixels of a window.</summary>
    public int Dilation { get; }

    /// <summary>Creates the layer; fails at once on a zero stride or a padding above k/2.</summary>
    /// <param name="kernelSize">Window size k.</param>
    /// <param name="stride">Step between windows; default k.</param>
    /// <param name="padding">−∞ padding on every side.</param>
    /// <param name="dilation">Spacing between window pixels.</param>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1)
    {
        KernelSize = kernelSize; Stride = stride ?? kernelSize; Padding = padding; Dilation = dilation;
        F.CheckPoolParameters(Describe(), KernelSize, Stride, Padding, Dilation);
    }

    /// <summary>y[n, c, i, j] = max of x[n, c] over window (i, j).</summary>
    public override Tensor Forward(Tensor input) => F.MaxPool2d(input, KernelSize, Stride, Padding, Dilation, Describe());

    /// <summary>
    /// The pooling of ReLU(input) as one operation, computed as ReLU of the pooled values (used by <see cref="Sequential"/>
    /// for Conv2d → ReLU → MaxPool2d: the ReLU's backward then runs on the pooled gradient, not the convolution's).
    /// </summary>
    internal Tensor ForwardAfterRelu(Tensor input) => F.MaxPool2d(input, KernelSize, Stride, Padding, Dilation, Describe(), relu: true);

    /// <summary>2×2 windows, stride 2, no padding or dilation: the pooling <see cref="Sequential"/> can fuse with BatchNorm2d → ReLU.</summary>
    internal bool IsHalving => KernelSize == 2 && Stride == 2 && Padding == 0 && Dilation == 1;

    private string Describe() =>
        $"MaxPool2d(k={KernelSize}, s={Stride}{(Padding != 0 ? $", p={Padding}" : "")}{(Dilation != 1 ? $", d={Dilation}" : "")})";

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}";
}
