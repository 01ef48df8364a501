namespace CourseKit;

/// <summary>
/// Time-based (1/t) decay: α(t) = α₀ / (1 + k·t). Fast at first, then ever slower — after t = 1/k
/// epochs the rate has halved, after 3/k epochs it is a quarter.
/// </summary>
public sealed class TimeDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule with decay rate <paramref name="k"/> ≥ 0.</summary>
    /// <param name="optimizer">The optimiser whose learning rate is scheduled; its current rate is α₀.</param>
    /// <param name="k">The decay rate k per epoch.</param>
    public TimeDecay(Optimizer optimizer, float k) : base(optimizer)
    {
        if (!(k >= 0f) || float.IsInfinity(k)) throw new ArgumentOutOfRangeException(nameof(k), k, "TimeDecay: k in α₀/(1 + k·t) must be a finite number ≥ 0.");
        K = k;
    }

    /// <summary>The decay rate k.</summary>
    public float K { get; }

    /// <inheritdoc/>
    public override float LearningRateAt(int epoch)
    {
        CheckEpoch(epoch);
        return (float)(InitialLearningRate / (1 + K * (double)epoch));                // α₀ / (1 + k·t)
    }
}
