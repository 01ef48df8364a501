namespace CourseKit;

/// <summary>
/// Step decay (like <c>torch.optim.lr_scheduler.StepLR</c>): the learning rate is multiplied by γ every
/// <see cref="StepSize"/> epochs, α(t) = α₀ · γ^⌊t / stepSize⌋ — e.g. halved every 10 epochs.
/// </summary>
public sealed class StepLR : LearningRateSchedule
{
    /// <summary>Creates the schedule; <paramref name="stepSize"/> ≥ 1 and <paramref name="gamma"/> ≥ 0.</summary>
    /// <param name="optimizer">The optimiser whose learning rate is scheduled; its current rate is α₀.</param>
    /// <param name="stepSize">How many epochs pass between two decays.</param>
    /// <param name="gamma">The factor γ applied at each decay (PyTorch's default 0.1).</param>
    public StepLR(Optimizer optimizer, int stepSize, float gamma = 0.1f) : base(optimizer)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "StepLR: the step size must be at least 1 epoch.");
        if (!(gamma >= 0f) || float.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "StepLR: γ must be a finite number ≥ 0.");
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Epochs between two decays.</summary>
    public int StepSize { get; }

    /// <summary>The decay factor γ.</summary>
    public float Gamma { get; }

    /// <inheritdoc/>
    public override float LearningRateAt(int epoch)
    {
        CheckEpoch(epoch);
        return (float)(InitialLearningRate * Math.Pow(Gamma, epoch / StepSize));    // α₀ · γ^⌊t / stepSize⌋
    }
}
