namespace CourseKit;

/// <summary>
/// Code that <see cref="Trainer.Fit"/> runs at fixed points of training (like Keras callbacks): when training
/// begins and ends, around every epoch, after every step, and when a message is logged. Override the
/// methods you need; the others do nothing. <see cref="EarlyStopping"/> and the progress displays are callbacks.
/// </summary>
/// <example><code>
/// sealed class PrintLearningRate : Callback
/// {
///     public override bool OnEpochEnd(TrainingRun run, EpochRecord epoch)
///     {
///         Console.WriteLine($"epoch {epoch.Epoch}: lr {epoch.LearningRate}");
///         return false;                                  // true would stop training
///     }
/// }
/// </code></example>
public abstract class Callback
{
    /// <summary>Before the first epoch.</summary>
    public virtual void OnTrainBegin(TrainingRun run) { }

    /// <summary>Before epoch <paramref name="epoch"/> (from 1).</summary>
    public virtual void OnEpochBegin(TrainingRun run, int epoch) { }

    /// <summary>After every training step (forward, backward, optimiser step on one mini-batch).</summary>
    public virtual void OnStepEnd(TrainingRun run, StepProgress step) { }

    /// <summary>After an epoch and its validation; return true to stop training after this epoch.</summary>
    public virtual bool OnEpochEnd(TrainingRun run, EpochRecord epoch) => false;

    /// <summary>After the last epoch (or the epoch a callback stopped at); not called when training is cancelled.</summary>
    public virtual void OnTrainEnd(TrainingRun run) { }

    /// <summary>When something calls <see cref="TrainingRun.Log"/>; progress displays print the message.</summary>
    public virtual void OnMessage(TrainingRun run, string message) { }
}
