namespace CourseKit;

/// <summary>
/// A 2-D convolution layer (like <c>nn.Conv2d</c>): <c>OutChannels</c> learned filters, each
/// (InChannels, kH, kW), slide over the input; output channel o at (i, j) is the filter's dot product with
/// the window under it plus a bias. Input (N, InChannels, H, W) → output (N, OutChannels, outH, outW) with
/// outH = ⌊(H + 2p − d·(kH − 1) − 1)/s⌋ + 1. Parameters: O·C·kH·kW weights + O biases.
/// </summary>
/// <example><c>var conv = new Conv2d(3, 6, kernelSize: 5);   // 6·3·5·5 + 6 = 456 parameters</c></example>
public sealed class Conv2d : Module
{
    /// <summary>The filters, shape (OutChannels, InChannels, kH, kW).</summary>
    public Parameter Weight { get; }

    /// <summary>One bias per filter, shape (OutChannels); null when built with <c>bias: false</c> (e.g. before BatchNorm).</summary>
    public Parameter? Bias { get; }

    /// <summary>Channels C of the input.</summary>
    public int InChannels { get; }

    /// <summary>Number of filters O = channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>(kH, kW).</summary>
    public (int H, int W) KernelSize { get; }

    /// <summary>(vertical, horizontal) step between window positions.</summary>
    public (int H, int W) Stride { get; }

    /// <summary>(rows, columns) of zero padding before the image; for <c>"same"</c> with an even kernel, one more row/column goes after it.</summary>
    public (int H, int W) Padding { get; }

    /// <summary>"same" or "valid" when the padding was given by name, otherwise null.</summary>
    public string? PaddingMode { get; }

    /// <summary>(vertical, horizontal) spacing between kernel taps.</summary>
    public (int H, int W) Dilation { get; }

    private readonly Padding2d _padding;

    /// <summary>A convolution with a square kernel, e.g. <c>new Conv2d(1, 8, kernelSize: 3, padding: 1)</c>.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Number of filters.</param>
    /// <param name="kernelSize">k for a k×k kernel.</param>
    /// <param name="stride">Step between window positions.</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <param name="bias">Whether to learn a bias per filter.</param>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, bool bias = true)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), null, (dilation, dilation), bias) { }

    /// <summary>A convolution with (height, width) pairs, e.g. <c>new Conv2d(1, 8, (1, 3), padding: (0, 1))</c>.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Number of filters.</param>
    /// <param name="kernelSize">(kH, kW).</param>
    /// <param name="stride">(vertical, horizontal) step; default (1, 1).</param>
    /// <param name="padding">(rows, columns) of zeros on each side; default none.</param>
    /// <param name="dilation">(vertical, horizontal) spacing between taps; default (1, 1).</param>
    /// <param name="bias">Whether to learn a bias per filter.</param>
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default, (int H, int W)? dilation = null, bool bias = true)
        : this(inChannels, outChannels, kernelSize, stride ?? (1, 1), padding, null, dilation ?? (1, 1), bias) { }

    /// <summary>
    /// A convolution with named padding: <c>"same"</c> keeps the height and width (stride 1; for an even
    /// kernel the extra row/column goes at the bottom/right, as in PyTorch) or <c>"valid"</c> (no padding).
    /// </summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Number of filters.</param>
    /// <param name="kernelSize">k for a k×k kernel.</param>
    /// <param name="padding">"same" or "valid".</param>
    /// <param name="stride">Step between window positions ("same" needs 1).</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <param name="bias">Whether to learn a bias per filter.</param>
    public Conv2d(int inChannels, int outChannels, int kernelSize, string padding, int stride = 1, int dilation = 1, bool bias = true)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (0, 0), padding, (dilation, dilation), bias) { }

    /// <summary>A convolution with a (kH, kW) kernel and named padding, "same" or "valid".</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Number of filters.</param>
    /// <param name="kernelSize">(kH, kW).</param>
    /// <param name="padding">"same" or "valid".</param>
    /// <param name="stride">Step between window positions ("same" needs 1).</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <param name="bias">Whether to learn a bias per filter.</param>
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernelSize, string padding, int stride = 1, int dilation = 1, bool bias = true)
        : this(inChannels, outChannels, kernelSize, (stride, stride), (0, 0), padding, (dilation, dilation), bias) { }

    private Conv2d(int inChannels, int outChannels, (int H, int W) kernelSize, (int H, int W) stride, (int H, int W) padding, string? paddingMode, (int H, int W) dilation, bool bias)
    {
        InChannels = inChannels; OutChannels = outChannels; KernelSize = kernelSize;
        Stride = stride; PaddingMode = paddingMode; Dilation = dilation;
        if (inChannels < 1 || outChannels < 1)
            throw new ArgumentException($"{Describe()}: the channel counts must be at least 1, got {inChannels} in and {outChannels} out.");
        _padding = paddingMode is null ? Padding2d.Symmetric(padding) : F.PaddingFromMode(Describe(), paddingMode, kernelSize, stride, dilation);
        Padding = (_padding.Top, _padding.Left);
        F.CheckWindowParameters(Describe(), kernelSize, stride, _padding, dilation);

        int fanIn = inChannels * kernelSize.H * kernelSize.W;        // inputs feeding one output pixel
        Weight = new Parameter(Init.PyTorchDefault(fanIn, outChannels, inChannels, kernelSize.H, kernelSize.W));
        Bias = bias ? new Parameter(Init.PyTorchDefault(fanIn, outChannels)) : null;
    }

    /// <summary>y = W ⋆ x + b (cross-correlation of every filter with the input); checks that x is (N, InChannels, H, W).</summary>
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input);
        return F.Conv2d(input, Weight, Bias, Stride, _padding, Dilation, Describe());
    }

    /// <summary>relu(conv(x)) as one operation, in training too (used by <see cref="Sequential"/> for Conv2d → ReLU).</summary>
    internal Tensor ForwardWithRelu(Tensor input)
    {
        CheckInput(input);
        return F.Conv2d(input, Weight, Bias, Stride, _padding, Dilation, Describe(), relu: true);
    }

    /// <summary>
    /// relu(norm(conv(x))) in one pass, for evaluation: a BatchNorm2d in evaluation mode is an affine map
    /// per channel, y = (conv(x) − μ)·γ/√(σ² + ε) + β, so it folds into the filters (w·s) and bias
    /// ((b − μ)·s + β) with s = γ/√(σ² + ε); the ReLU is applied as each output is written.
    /// <see cref="Sequential"/> uses it only inside <c>Tensor.NoGrad()</c>, so the folded filters are not recorded.
    /// </summary>
    internal Tensor ForwardFused(Tensor input, BatchNorm2d norm)
    {
        CheckInput(input);
        var scale = (norm.Weight ?? Tensor.Ones(OutChannels)) / (norm.RunningVar! + norm.Eps).Sqrt();
        var weight = Weight * scale.Reshape(OutChannels, 1, 1, 1);
        var bias = ((Bias ?? Tensor.Zeros(OutChannels)) - norm.RunningMean!) * scale + (norm.Bias ?? Tensor.Zeros(OutChannels));
        return F.Conv2d(input, weight, bias, Stride, _padding, Dilation, Describe(), relu: true);
    }

    /// <summary>Throws unless the input is a batch (N, InChannels, H, W), naming the layer and the shape.</summary>
    private void CheckInput(Tensor input)
    {
        if (input.Rank != 4 || input.Size(1) != InChannels)
            throw new ShapeException($"{Describe()}: expected input (N, {InChannels}, H, W), got {input.Shape}.{F.SingleImageHint(input, InChannels)}");
    }

    /// <summary>The short name used in error messages, e.g. <c>Conv2d(3→6, k=5×5, s=2, p=1)</c>.</summary>
    private string Describe()
    {
        string text = $"Conv2d({InChannels}→{OutChannels}, k={KernelSize.H}×{KernelSize.W}";
        if (Stride != (1, 1)) text += $", s={F.Pair(Stride)}";
        if (PaddingMode is not null) text += $", p={PaddingMode}";
        else if (Padding != (0, 0)) text += $", p={F.Pair(Padding)}";
        if (Dilation != (1, 1)) text += $", d={F.Pair(Dilation)}";
        return text + ")";
    }

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        string text = $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}";
        if (PaddingMode is not null) text += $", padding={PaddingMode}";
        else if (Padding != (0, 0)) text += $", padding={Padding}";
        if (Dilation != (1, 1)) text += $", dilation={Dilation}";
        if (Bias is null) text += ", bias=False";
        return text;
    }
}
