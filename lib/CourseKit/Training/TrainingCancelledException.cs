namespace CourseKit;

/// <summary>
/// Training was stopped — its cancellation token was cancelled or the notebook cell was interrupted. The
/// model keeps the weights of the last finished step, and <see cref="History"/> holds what happened until then.
/// </summary>
public sealed class TrainingCancelledException(History history, CancellationToken token)
    : OperationCanceledException($"Training was stopped after {history.Epochs.Count} full epoch(s) and {history.Steps.Count} step(s); the model keeps the weights of the last step.", token)
{
    /// <summary>The epochs and steps finished before training stopped.</summary>
    public History History { get; } = history;
}
