using System.Globalization;
using System.Text;

namespace CourseKit;

/// <summary>
/// What happened during <see cref="Trainer.Fit"/> (like the <c>History</c> Keras's <c>fit</c> returns): one
/// <see cref="EpochRecord"/> per epoch (mean training loss and accuracy, validation loss and accuracy,
/// learning rate, time), one <see cref="StepRecord"/> per mini-batch, and the messages callbacks wrote
/// (e.g. early stopping). The arrays (<see cref="TrainLoss"/>, <see cref="ValidationLoss"/>, <see cref="StepLoss"/>, …)
/// are ready to plot as learning curves.
/// </summary>
/// <example><code>
/// var history = Trainer.Fit(model, new CrossEntropyLoss(), optimizer, train, validation, epochs: 10);
/// Console.WriteLine(history);                           // a table, one row per epoch
/// int best = history.BestEpoch("val_accuracy").Epoch;
/// </code></example>
public sealed class History
{
    private readonly List<EpochRecord> _epochs = [];
    private readonly List<StepRecord> _steps = [];
    private readonly List<string> _messages = [];

    /// <summary>One record per finished epoch, in order (epoch 1 first).</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>One record per training step (mini-batch), in order.</summary>
    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <summary>Messages written during training, e.g. <c>restored best weights from epoch 3</c>.</summary>
    public IReadOnlyList<string> Messages => _messages;

    /// <summary>Whether the epochs were evaluated on a validation set.</summary>
    public bool HasValidation => _epochs.Count > 0 && _epochs[0].ValidationLoss is not null;

    /// <summary>The epoch numbers 1, 2, … — the x axis of the per-epoch curves.</summary>
    public int[] EpochNumbers => _epochs.Select(e => e.Epoch).ToArray();

    /// <summary>Mean training loss of each epoch.</summary>
    public float[] TrainLoss => Series("loss");

    /// <summary>Training accuracy (0–1) of each epoch.</summary>
    public float[] TrainAccuracy => Series("accuracy");

    /// <summary>Validation loss of each epoch (NaN without a validation set).</summary>
    public float[] ValidationLoss => Series("val_loss");

    /// <summary>Validation accuracy (0–1) of each epoch (NaN without a validation set).</summary>
    public float[] ValidationAccuracy => Series("val_accuracy");

    /// <summary>The learning rate used during each epoch.</summary>
    public float[] LearningRate => Series("lr");

    /// <summary>The loss of every training step (mini-batch) — the noisy curve of stochastic gradient descent.</summary>
    public float[] StepLoss => _steps.Select(s => s.Loss).ToArray();

    /// <summary>The accuracy (0–1) of every training step's mini-batch.</summary>
    public float[] StepAccuracy => _steps.Select(s => s.Accuracy).ToArray();

    /// <summary>A metric of each epoch by its Keras name (see <see cref="EpochRecord.Metric"/>), NaN where it was not measured.</summary>
    public float[] Series(string metric) => _epochs.Select(e => e.Metric(metric) ?? float.NaN).ToArray();

    /// <summary>
    /// The epoch with the best value of <paramref name="metric"/>: the lowest loss, or the highest accuracy
    /// (the first one on a tie).
    /// </summary>
    /// <param name="metric"><c>"val_loss"</c> (default), <c>"val_accuracy"</c>, <c>"loss"</c> or <c>"accuracy"</c>.</param>
    /// <exception cref="InvalidOperationException">No epoch has this metric (no epochs yet, or no validation set).</exception>
    public EpochRecord BestEpoch(string metric = "val_loss")
    {
        bool higher = EpochRecord.HigherIsBetter(metric);
        EpochRecord? best = null;
        foreach (var e in _epochs)
        {
            if (e.Metric(metric) is not float value || float.IsNaN(value)) continue;
            float bestValue = best?.Metric(metric) ?? float.NaN;
            if (best is null || (higher ? value > bestValue : value < bestValue)) best = e;
        }
        return best ?? throw new InvalidOperationException(
            $"History.BestEpoch(\"{metric}\"): no epoch has a {metric}" + (metric.StartsWith("val_") ? " (was Fit given a validation loader?)." : "."));
    }

    internal void Add(EpochRecord epoch) => _epochs.Add(epoch);

    internal void Add(StepRecord step) => _steps.Add(step);

    internal void Add(string message) => _messages.Add(message);

    /// <summary>A table with one row per epoch, then the messages.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        bool validation = HasValidation;
        text.Append(validation ? "epoch      loss     acc  val_loss  val_acc        lr    time\n"
                               : "epoch      loss     acc        lr    time\n");
        foreach (var e in _epochs)
        {
            text.Append(Invariant($"{e.Epoch,5}  {e.TrainLoss,8:0.0000}  {e.TrainAccuracy,6:0.0%}"));
            if (validation) text.Append(Invariant($"  {e.ValidationLoss,8:0.0000}  {e.ValidationAccuracy,7:0.0%}"));
            text.Append(Invariant($"  {e.LearningRate,8:0.#####}  {e.Seconds,5:0.0} s\n"));
        }
        foreach (var message in _messages) text.Append(message).Append('\n');
        return text.ToString().TrimEnd('\n');
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
