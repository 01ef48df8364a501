namespace CourseKit;

/// <summary>
/// Base class of the learning-rate schedules (like <c>torch.optim.lr_scheduler</c>): a rule α(t) giving
/// the learning rate for epoch t = 0, 1, 2, … from the optimiser's initial rate α₀. Call <see cref="Step"/>
/// once at the end of every epoch:
/// <code>
/// var schedule = new StepLR(optimizer, stepSize: 10, gamma: 0.5f);
/// for (int epoch = 0; epoch &lt; 30; epoch++)
/// {
///     TrainOneEpoch(model, optimizer);
///     schedule.Step();                   // optimizer.LearningRate ← α(epoch + 1)
/// }
/// </code>
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Attaches the schedule to <paramref name="optimizer"/>; its current learning rate becomes α₀.</summary>
    protected LearningRateSchedule(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        InitialLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimiser whose learning rate this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>α₀, the learning rate at epoch 0.</summary>
    public float InitialLearningRate { get; }

    /// <summary>The epoch whose learning rate is currently in use (0 until the first <see cref="Step"/>).</summary>
    public int Epoch { get; private set; }

    /// <summary>The learning rate α(t) this schedule gives for epoch <paramref name="epoch"/> (t ≥ 0); changes nothing, so it can be plotted.</summary>
    public abstract float LearningRateAt(int epoch);

    /// <summary>Ends an epoch: moves to the next one and sets the optimiser's learning rate to α(epoch).</summary>
    public void Step()
    {
        Epoch++;
        Optimizer.LearningRate = LearningRateAt(Epoch);
    }

    /// <summary>Throws for a negative epoch.</summary>
    protected static void CheckEpoch(int epoch)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Epochs are counted from 0.");
    }
}
