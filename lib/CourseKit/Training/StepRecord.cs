namespace CourseKit;

/// <summary>One training step (one mini-batch) in a <see cref="History"/>.</summary>
/// <param name="Step">The step number over the whole training, from 1.</param>
/// <param name="Epoch">The epoch it belongs to, from 1.</param>
/// <param name="Loss">The mini-batch's loss (mean over its samples).</param>
/// <param name="Accuracy">Fraction (0–1) of the mini-batch classified correctly (NaN if the task is not classification).</param>
public readonly record struct StepRecord(int Step, int Epoch, float Loss, float Accuracy);
