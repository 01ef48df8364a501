namespace CourseKit;

/// <summary>
/// Where training stands after a step — what <see cref="Callback.OnStepEnd"/> receives, enough to draw a
/// progress bar: the step within the epoch, the batch's loss and accuracy, their running means over the
/// epoch so far, and the speed.
/// </summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">The number of epochs asked for.</param>
/// <param name="Step">The step within the epoch, from 1 to <paramref name="StepsPerEpoch"/>.</param>
/// <param name="StepsPerEpoch">Steps (mini-batches) in an epoch.</param>
/// <param name="GlobalStep">The step over the whole training, from 1.</param>
/// <param name="BatchSize">Samples in this step's mini-batch.</param>
/// <param name="Loss">This mini-batch's loss.</param>
/// <param name="Accuracy">This mini-batch's accuracy (0–1; NaN if the task is not classification).</param>
/// <param name="RunningLoss">Mean loss over the epoch's samples so far.</param>
/// <param name="RunningAccuracy">Accuracy over the epoch's samples so far.</param>
/// <param name="SamplesSeen">Samples trained on in this epoch so far.</param>
/// <param name="Elapsed">Time since the epoch began.</param>
public readonly record struct StepProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, int GlobalStep, int BatchSize,
                                           float Loss, float Accuracy, float RunningLoss, float RunningAccuracy,
                                           int SamplesSeen, TimeSpan Elapsed)
{
    /// <summary>Training speed in this epoch so far, in images (samples) per second.</summary>
    public double ImagesPerSecond => Elapsed.TotalSeconds > 0 ? SamplesSeen / Elapsed.TotalSeconds : 0;

    /// <summary>Fraction (0–1) of the epoch done.</summary>
    public double EpochFraction => (double)Step / StepsPerEpoch;
}
