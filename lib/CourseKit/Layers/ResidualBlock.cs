namespace CourseKit;

/// <summary>
/// The basic residual block of ResNet-18/34 (He et al. 2015; torchvision's <c>BasicBlock</c>):
/// <code>
///   x ─► conv3×3(stride) ─► BN ─► ReLU ─► conv3×3 ─► BN ─► (+) ─► ReLU ─► y
///   └─────────────── shortcut: identity, or conv1×1(stride) ─► BN ──┘
/// </code>
/// y = ReLU(F(x) + shortcut(x)). The layers learn only the residual F(x) = y − x, and the identity path
/// lets gradients reach early layers undiminished — which is what makes very deep networks trainable.
/// When the block changes the size (stride ≠ 1) or the number of channels, x cannot be added as it is, so
/// the shortcut becomes a 1×1 convolution with the same stride followed by BatchNorm (<see cref="Downsample"/>).
/// Parameter names match torchvision: conv1, bn1, conv2, bn2, downsample.0, downsample.1.
/// </summary>
/// <example><c>new ResidualBlock(64, 128, stride: 2)</c>: (N, 64, 32, 32) → (N, 128, 16, 16).</example>
public sealed class ResidualBlock : Module
{
    /// <summary>First 3×3 convolution (carries the stride), without bias: BatchNorm's shift replaces it.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>BatchNorm after the first convolution.</summary>
    public BatchNorm2d Bn1 { get; }

    /// <summary>The ReLU used after the first BatchNorm and after the addition.</summary>
    public ReLU Relu { get; } = new();

    /// <summary>Second 3×3 convolution (stride 1), without bias.</summary>
    public Conv2d Conv2 { get; }

    /// <summary>BatchNorm after the second convolution.</summary>
    public BatchNorm2d Bn2 { get; }

    /// <summary>The projection shortcut (1×1 convolution + BatchNorm), or null for the identity shortcut.</summary>
    public Sequential? Downsample { get; }

    /// <summary>Builds the block; the shortcut is a projection when <paramref name="stride"/> ≠ 1 or the channel count changes.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output.</param>
    /// <param name="stride">Stride of the first convolution (2 halves the height and width).</param>
    public ResidualBlock(int inChannels, int outChannels, int stride = 1)
    {
        Conv1 = new Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        Bn1 = new BatchNorm2d(outChannels);
        Conv2 = new Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        Bn2 = new BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            Downsample = new Sequential(new Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), new BatchNorm2d(outChannels));
    }

    /// <summary>y = ReLU(BN(conv(ReLU(BN(conv(x))))) + shortcut(x)).</summary>
    public override Tensor Forward(Tensor input)
    {
        var residual = Relu.Call(Bn1.Call(Conv1.Call(input)));
        residual = Bn2.Call(Conv2.Call(residual));
        var shortcut = Downsample is null ? input : Downsample.Call(input);
        return Relu.Call(residual + shortcut);
    }
}
