namespace CourseKit;

/// <summary>
/// Parametric ReLU (like <c>nn.PReLU</c>): x for x &gt; 0, a·x otherwise, where the slope a is learned —
/// one shared slope, or one per channel (axis 1 of the input).
/// </summary>
public sealed class PReLU : Module
{
    /// <summary>The learned slopes a, shape (num_parameters), initialised to <c>init</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>Number of slopes: 1 (shared) or the number of input channels.</summary>
    public int NumParameters { get; }

    /// <summary>Creates the layer with every slope equal to <paramref name="init"/>.</summary>
    /// <param name="numParameters">1 for one shared slope, or C for one slope per channel.</param>
    /// <param name="init">The initial slope.</param>
    public PReLU(int numParameters = 1, float init = 0.25f)
    {
        if (numParameters <= 0)
            throw new ArgumentOutOfRangeException(nameof(numParameters), $"PReLU(num_parameters={numParameters}): needs at least one slope (1 shared, or one per channel).");
        NumParameters = numParameters;
        Weight = new Parameter(Tensor.Full(init, numParameters));
    }

    /// <summary>x for x &gt; 0, a·x otherwise (a of the element's channel).</summary>
    /// <exception cref="ShapeException">There is one slope per channel but the input has a different number of channels.</exception>
    public override Tensor Forward(Tensor input)
    {
        if (NumParameters != 1 && (input.Rank < 2 || input.Size(1) != NumParameters))
            throw new ShapeException($"PReLU(num_parameters={NumParameters}): expected input (N, {NumParameters}, …) with one slope per channel, got {input.Shape}.");
        return F.Prelu(input, Weight);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"num_parameters={NumParameters}";
}
