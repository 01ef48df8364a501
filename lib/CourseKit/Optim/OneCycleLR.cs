namespace CourseKit;

/// <summary>
/// The one-cycle policy (like <c>torch.optim.lr_scheduler.OneCycleLR</c>, stepped once per epoch): the
/// learning rate climbs from α₀ = max/<see cref="DivFactor"/> to <see cref="MaxLearningRate"/> along half a
/// cosine during the first <see cref="WarmupEpochs"/> epochs, then glides down along another half cosine to
/// α₀/<see cref="FinalDivFactor"/> at the last epoch. The warm-up lets batch-norm statistics and momentum
/// settle before the large steps; the long descent ends in small ones — short trainings reach more.
/// Creating it sets the optimiser's rate to α₀.
/// </summary>
public sealed class OneCycleLR : LearningRateSchedule
{
    /// <summary>Creates the schedule over <paramref name="epochs"/> epochs (at least 2).</summary>
    /// <param name="optimizer">The optimiser whose learning rate is scheduled.</param>
    /// <param name="maxLearningRate">The peak rate, reached after the warm-up (PyTorch's <c>max_lr</c>).</param>
    /// <param name="epochs">The number of training epochs: the last one runs at the final, smallest rate.</param>
    /// <param name="warmupFraction">The share of the epochs spent climbing (PyTorch's <c>pct_start</c>).</param>
    /// <param name="divFactor">α₀ = max / divFactor.</param>
    /// <param name="finalDivFactor">The last rate is α₀ / finalDivFactor.</param>
    public OneCycleLR(Optimizer optimizer, float maxLearningRate, int epochs, float warmupFraction = 0.3f,
        float divFactor = 25f, float finalDivFactor = 1e4f) : base(optimizer)
    {
        if (!(maxLearningRate > 0f) || float.IsInfinity(maxLearningRate))
            throw new ArgumentOutOfRangeException(nameof(maxLearningRate), maxLearningRate, "OneCycleLR: the peak learning rate must be a finite number > 0.");
        if (epochs < 2) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "OneCycleLR: a cycle needs at least 2 epochs.");
        if (!(warmupFraction > 0f && warmupFraction < 1f))
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction, "OneCycleLR: the warm-up fraction must lie strictly between 0 and 1.");
        if (!(divFactor >= 1f) || !(finalDivFactor >= 1f))
            throw new ArgumentOutOfRangeException(nameof(divFactor), "OneCycleLR: the division factors must be at least 1.");
        MaxLearningRate = maxLearningRate;
        Epochs = epochs;
        WarmupEpochs = Math.Clamp((int)Math.Round(warmupFraction * (epochs - 1)), 1, epochs - 1);
        DivFactor = divFactor;
        FinalDivFactor = finalDivFactor;
        optimizer.LearningRate = LearningRateAt(0);
    }

    /// <summary>The peak rate.</summary>
    public float MaxLearningRate { get; }

    /// <summary>The length of the cycle in epochs.</summary>
    public int Epochs { get; }

    /// <summary>The epoch at which the peak is reached.</summary>
    public int WarmupEpochs { get; }

    /// <summary>The first rate is the peak divided by this.</summary>
    public float DivFactor { get; }

    /// <summary>The last rate is the first divided by this.</summary>
    public float FinalDivFactor { get; }

    /// <inheritdoc/>
    public override float LearningRateAt(int epoch)
    {
        CheckEpoch(epoch);
        double start = MaxLearningRate / DivFactor, end = start / FinalDivFactor;
        if (epoch <= WarmupEpochs) return Cosine(start, MaxLearningRate, (double)epoch / WarmupEpochs);
        return Cosine(MaxLearningRate, end, Math.Min(1.0, (double)(epoch - WarmupEpochs) / (Epochs - 1 - WarmupEpochs)));
    }

    /// <summary>From a to b along half a cosine as f goes from 0 to 1: b + (a − b)(1 + cos πf)/2.</summary>
    private static float Cosine(double a, double b, double f) => (float)(b + (a - b) * (1 + Math.Cos(Math.PI * f)) / 2);
}
