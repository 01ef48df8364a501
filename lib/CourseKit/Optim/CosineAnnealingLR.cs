namespace CourseKit;

/// <summary>
/// Cosine annealing (like <c>torch.optim.lr_scheduler.CosineAnnealingLR</c>): the learning rate glides from
/// α₀ down to <see cref="MinLearningRate"/> along half a cosine over <see cref="TMax"/> epochs,
/// α(t) = α_min + (α₀ − α_min) · (1 + cos(π t / T)) / 2 — large steps early, fine ones at the end.
/// </summary>
public sealed class CosineAnnealingLR : LearningRateSchedule
{
    /// <summary>Creates the schedule; <paramref name="tMax"/> ≥ 1.</summary>
    /// <param name="optimizer">The optimiser whose learning rate is scheduled; its current rate is α₀.</param>
    /// <param name="tMax">Epochs from α₀ to the minimum, usually the number of training epochs.</param>
    /// <param name="minLearningRate">The rate reached at epoch <paramref name="tMax"/> (PyTorch's <c>eta_min</c>).</param>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, float minLearningRate = 0f) : base(optimizer)
    {
        if (tMax < 1) throw new ArgumentOutOfRangeException(nameof(tMax), tMax, "CosineAnnealingLR: T must be at least 1 epoch.");
        if (!(minLearningRate >= 0f) || float.IsInfinity(minLearningRate))
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "CosineAnnealingLR: the minimum learning rate must be a finite number ≥ 0.");
        TMax = tMax;
        MinLearningRate = minLearningRate;
    }

    /// <summary>Epochs the rate takes to reach its minimum.</summary>
    public int TMax { get; }

    /// <summary>The rate at the end of the cosine.</summary>
    public float MinLearningRate { get; }

    /// <inheritdoc/>
    public override float LearningRateAt(int epoch)
    {
        CheckEpoch(epoch);
        double t = Math.Min(epoch, TMax);
        return (float)(MinLearningRate + (InitialLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * t / TMax)) / 2);   // α_min + (α₀ − α_min)(1 + cos πt/T)/2
    }
}
