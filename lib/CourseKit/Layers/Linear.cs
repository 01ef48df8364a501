namespace CourseKit;

/// <summary>
/// A fully connected layer (like <c>nn.Linear</c>): y = x·Wᵀ + b, mapping (N, in_features) to
/// (N, out_features). Every output is a weighted sum of every input.
/// </summary>
public sealed class Linear : Module
{
    /// <summary>W, shape (out_features, in_features); PyTorch's default initialisation U(−1/√in, 1/√in).</summary>
    public Parameter Weight { get; }

    /// <summary>b, shape (out_features), initialised like the weight; null when created with <c>bias: false</c>.</summary>
    public Parameter? Bias { get; }

    /// <summary>Number of input features (the size of the last input axis).</summary>
    public int InFeatures { get; }

    /// <summary>Number of output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear({inFeatures}→{outFeatures}): the feature counts must be positive.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter(Init.PyTorchDefault(inFeatures, outFeatures, inFeatures));
        if (bias) Bias = new Parameter(Init.PyTorchDefault(inFeatures, outFeatures));
    }

    /// <summary>y = x·Wᵀ + b for an input (N, in_features) or (…, in_features).</summary>
    /// <exception cref="ShapeException">The last axis of the input is not in_features, e.g. <c>Linear(400→120): expected input (N, 400), got (64, 256).</c></exception>
    public override Tensor Forward(Tensor input) => F.Linear(input, Weight, Bias);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias is null ? "False" : "True")}";
}
