namespace CourseKit;

/// <summary>
/// Exponential decay: α(t) = α₀ · e^(−k·t). The rate shrinks by the same factor e^(−k) every epoch.
/// (PyTorch's <c>ExponentialLR</c> with γ = e^(−k) gives the same curve.)
/// </summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule with decay rate <paramref name="k"/> ≥ 0.</summary>
    /// <param name="optimizer">The optimiser whose learning rate is scheduled; its current rate is α₀.</param>
    /// <param name="k">The decay rate k per epoch.</param>
    public ExponentialDecay(Optimizer optimizer, float k) : base(optimizer)
    {
        if (!(k >= 0f) || float.IsInfinity(k)) throw new ArgumentOutOfRangeException(nameof(k), k, "ExponentialDecay: k in α₀·e^(−k·t) must be a finite number ≥ 0.");
        K = k;
    }

    /// <summary>The decay rate k.</summary>
    public float K { get; }

    /// <inheritdoc/>
    public override float LearningRateAt(int epoch)
    {
        CheckEpoch(epoch);
        return (float)(InitialLearningRate * Math.Exp(-K * (double)epoch));           // α₀ · e^(−k·t)
    }
}
