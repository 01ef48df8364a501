namespace CourseKit;

/// <summary>
/// The summary of one training epoch in a <see cref="History"/>: training loss and accuracy averaged over
/// the epoch's mini-batches (weighted by batch size), the validation loss and accuracy measured after the
/// epoch (null without a validation set), the learning rate used, and the time taken.
/// </summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's samples.</param>
/// <param name="TrainAccuracy">Fraction (0–1) of training samples classified correctly during the epoch (NaN if the task is not classification).</param>
/// <param name="ValidationLoss">Loss on the validation set after the epoch; null without one.</param>
/// <param name="ValidationAccuracy">Accuracy (0–1) on the validation set after the epoch; null without one.</param>
/// <param name="LearningRate">The optimiser's learning rate during the epoch.</param>
/// <param name="Seconds">Wall-clock time of the epoch, validation included.</param>
public sealed record EpochRecord(int Epoch, float TrainLoss, float TrainAccuracy, float? ValidationLoss,
                                 float? ValidationAccuracy, float LearningRate, double Seconds)
{
    /// <summary>The metric names <see cref="Metric"/> knows (Keras's names).</summary>
    public static IReadOnlyList<string> MetricNames { get; } = ["loss", "accuracy", "val_loss", "val_accuracy", "lr"];

    /// <summary>
    /// A metric by its Keras name: <c>"loss"</c>, <c>"accuracy"</c> (or <c>"acc"</c>), <c>"val_loss"</c>,
    /// <c>"val_accuracy"</c> (or <c>"val_acc"</c>), <c>"lr"</c>; null when it was not measured.
    /// </summary>
    /// <exception cref="ArgumentException">The name is none of these.</exception>
    public float? Metric(string name) => name switch
    {
        "loss" => TrainLoss,
        "accuracy" or "acc" => TrainAccuracy,
        "val_loss" => ValidationLoss,
        "val_accuracy" or "val_acc" => ValidationAccuracy,
        "lr" => LearningRate,
        _ => throw UnknownMetric(name),
    };

    /// <summary>Whether a larger value of metric <paramref name="name"/> is better (accuracies) or a smaller one (losses).</summary>
    /// <exception cref="ArgumentException">The name is not a metric that can improve.</exception>
    public static bool HigherIsBetter(string name) => name switch
    {
        "accuracy" or "acc" or "val_accuracy" or "val_acc" => true,
        "loss" or "val_loss" => false,
        _ => throw UnknownMetric(name),
    };

    private static ArgumentException UnknownMetric(string name) =>
        new($"Unknown metric \"{name}\": use one of {string.Join(", ", MetricNames.Select(n => $"\"{n}\""))}.", nameof(name));
}
