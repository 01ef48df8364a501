using System.Globalization;

namespace CourseKit;

/// <summary>
/// What <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> share (PyTorch's <c>_BatchNorm</c>):
/// the learned per-channel scale γ and shift β, the running statistics used in evaluation, and the
/// forward pass y = γ·(x − μ)/√(σ² + ε) + β over channel axis 1. They differ only in the input layout.
/// </summary>
public abstract class BatchNormBase : Module
{
    /// <summary>γ, the per-channel scale (C), initialised to 1; null when <see cref="Affine"/> is false.</summary>
    public Parameter? Weight { get; }

    /// <summary>β, the per-channel shift (C), initialised to 0; null when <see cref="Affine"/> is false.</summary>
    public Parameter? Bias { get; }

    /// <summary>The running mean (C) used in evaluation, starting at 0; null without running statistics.</summary>
    [Buffer] public Tensor? RunningMean { get; }

    /// <summary>The running (unbiased) variance (C) used in evaluation, starting at 1; null without running statistics.</summary>
    [Buffer] public Tensor? RunningVar { get; }

    /// <summary>How many training batches have updated the running statistics (a single-value tensor, like PyTorch's num_batches_tracked).</summary>
    [Buffer] public Tensor? NumBatchesTracked { get; }

    /// <summary>C, the number of channels (axis 1 of the input).</summary>
    public int NumFeatures { get; }

    /// <summary>ε, added to the variance before the square root.</summary>
    public float Eps { get; }

    /// <summary>How far the running statistics move towards each batch's: running = (1 − momentum)·running + momentum·batch.</summary>
    public float Momentum { get; }

    /// <summary>Whether the layer learns γ and β.</summary>
    public bool Affine { get; }

    /// <summary>Whether the layer keeps running statistics; without them it uses batch statistics in evaluation too.</summary>
    public bool TrackRunningStats { get; }

    /// <summary>Creates the layer with γ = 1, β = 0, running mean 0 and running variance 1.</summary>
    protected BatchNormBase(int numFeatures, float eps, float momentum, bool affine, bool trackRunningStats)
    {
        if (numFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(numFeatures), $"{GetType().Name}({numFeatures}): the number of channels must be positive.");
        if (!(eps > 0))
            throw new ArgumentOutOfRangeException(nameof(eps), $"{GetType().Name}({numFeatures}): eps must be positive (it keeps 1/√(σ² + ε) finite); got {eps}.");
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), $"{GetType().Name}({numFeatures}): momentum must be in [0, 1] (running = (1 − momentum)·running + momentum·batch); got {momentum}.");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
        if (affine)
        {
            Weight = new Parameter(Tensor.Ones(numFeatures));
            Bias = new Parameter(Tensor.Zeros(numFeatures));
        }
        if (trackRunningStats)
        {
            RunningMean = Tensor.Zeros(numFeatures);
            RunningVar = Tensor.Ones(numFeatures);
            NumBatchesTracked = Tensor.Scalar(0);
        }
    }

    /// <summary>Whether an input with this many axes has the layout this layer expects.</summary>
    protected abstract bool AcceptsRank(int rank);

    /// <summary>The expected input layout for error messages, e.g. <c>(N, 16, H, W)</c>.</summary>
    protected abstract string ExpectedInput { get; }

    /// <summary>
    /// Normalises each channel: with the batch's statistics in training (and updates the running
    /// statistics), with the running statistics in evaluation.
    /// </summary>
    /// <exception cref="ShapeException">The input does not have the expected rank or number of channels.</exception>
    public override Tensor Forward(Tensor input) => Normalize(input, relu: false);

    /// <summary>relu(this(x)) in one pass (used by <see cref="Sequential"/> for BatchNorm2d → ReLU).</summary>
    internal Tensor ForwardWithRelu(Tensor input) => Normalize(input, relu: true);

    /// <summary>maxpool₂ₓ₂(relu(this(x))) in one operation (used by <see cref="Sequential"/> for BatchNorm2d → ReLU → MaxPool2d(2)).</summary>
    internal Tensor ForwardWithReluAndPool(Tensor input) => Normalize(input, relu: true, pool2x2: true);

    private Tensor Normalize(Tensor input, bool relu, bool pool2x2 = false)
    {
        if (!AcceptsRank(input.Rank) || input.Size(1) != NumFeatures)
            throw new ShapeException($"{GetType().Name}({NumFeatures}): expected input {ExpectedInput}, got {input.Shape}.");
        bool useBatchStatistics = Training || RunningMean is null;
        var output = F.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, useBatchStatistics, Momentum, Eps, relu, pool2x2);
        if (Training && NumBatchesTracked is not null)
            using (Tensor.NoGrad()) NumBatchesTracked.Fill(NumBatchesTracked.Item() + 1);
        return output;
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"{NumFeatures}, eps={Python(Eps)}, momentum={Python(Momentum)}, affine={Python(Affine)}, track_running_stats={Python(TrackRunningStats)}";

    private static string Python(float value) => value.ToString(CultureInfo.InvariantCulture).Replace("E", "e");
    private static string Python(bool value) => value ? "True" : "False";
}
