namespace CourseKit;

/// <summary>
/// Adaptive average pooling layer (like <c>nn.AdaptiveAvgPool2d</c>): averages each channel over an
/// outH × outW grid of windows sized to fit the input, so the output size is fixed whatever the input
/// size. With output 1×1 it is global average pooling, as at the end of a ResNet.
/// </summary>
/// <example><c>new AdaptiveAvgPool2d(1)</c>: (N, 512, 7, 7) → (N, 512, 1, 1).</example>
public sealed class AdaptiveAvgPool2d : Module
{
    /// <summary>(outH, outW).</summary>
    public (int H, int W) OutputSize { get; }

    /// <summary>Square output size × size; 1 gives global average pooling.</summary>
    /// <param name="outputSize">Output height and width.</param>
    public AdaptiveAvgPool2d(int outputSize) : this((outputSize, outputSize)) { }

    /// <summary>Output of size (outH, outW).</summary>
    /// <param name="outputSize">(outH, outW), each at least 1.</param>
    public AdaptiveAvgPool2d((int H, int W) outputSize)
    {
        OutputSize = outputSize;
        if (outputSize.H < 1 || outputSize.W < 1)
            throw new ArgumentException($"{Describe()}: the output size must be at least 1×1, got {outputSize}.");
    }

    /// <summary>y[n, c, i, j] = mean of x[n, c] over adaptive window (i, j).</summary>
    public override Tensor Forward(Tensor input) => F.AdaptiveAvgPool2d(input, OutputSize.H, OutputSize.W, Describe());

    private string Describe() => $"AdaptiveAvgPool2d({F.Pair(OutputSize)})";

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"output_size={F.Pair(OutputSize)}";
}
