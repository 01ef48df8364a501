using System.Globalization;

namespace CourseKit;

/// <summary>
/// Stops training when a monitored metric has stopped improving (like Keras's <c>EarlyStopping</c>): after
/// <see cref="Patience"/> epochs in a row without an improvement of more than <see cref="MinDelta"/>, it asks
/// <see cref="Trainer.Fit"/> to stop. With <see cref="RestoreBestWeights"/> it keeps a copy of the weights of
/// the best epoch and puts them back at the end, logging <c>restored best weights from epoch N</c>.
/// </summary>
/// <example><code>
/// var stop = new EarlyStopping(monitor: "val_loss", patience: 3);
/// Trainer.Fit(model, loss, optimizer, train, validation, epochs: 50, callbacks: [stop]);
/// Console.WriteLine(stop.BestEpoch);
/// </code></example>
public sealed class EarlyStopping : Callback
{
    private readonly bool _higherIsBetter;
    private Dictionary<string, Tensor>? _bestWeights;
    private int _epochsWithoutImprovement;
    private int _lastEpoch;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The metric watched: <c>"val_loss"</c> (default), <c>"val_accuracy"</c>, <c>"loss"</c> or <c>"accuracy"</c>.</param>
    /// <param name="patience">Epochs without improvement tolerated before stopping (≥ 1).</param>
    /// <param name="minDelta">The smallest change that counts as an improvement (≥ 0).</param>
    /// <param name="restoreBestWeights">Put the best epoch's weights back into the model when training ends.</param>
    /// <exception cref="ArgumentException">An unknown metric, patience &lt; 1 or minDelta &lt; 0.</exception>
    public EarlyStopping(string monitor = "val_loss", int patience = 3, float minDelta = 0f, bool restoreBestWeights = true)
    {
        _higherIsBetter = EpochRecord.HigherIsBetter(monitor);
        if (patience < 1) throw new ArgumentOutOfRangeException(nameof(patience), patience, "EarlyStopping: the patience must be at least 1 epoch.");
        if (!(minDelta >= 0f)) throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "EarlyStopping: minDelta must be ≥ 0.");
        Monitor = monitor;
        Patience = patience;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>The metric watched, e.g. <c>val_loss</c>.</summary>
    public string Monitor { get; }

    /// <summary>Epochs without improvement tolerated before stopping.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public float MinDelta { get; }

    /// <summary>Whether the best epoch's weights are put back at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The epoch with the best value of <see cref="Monitor"/> (0 before the first epoch).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The best value of <see cref="Monitor"/> seen.</summary>
    public float BestValue { get; private set; } = float.NaN;

    /// <summary>The epoch at which it stopped training; 0 if training ran all its epochs.</summary>
    public int StoppedEpoch { get; private set; }

    /// <summary>What it reported — why it stopped and which weights it restored; null if it did nothing.</summary>
    public string? Message { get; private set; }

    /// <summary>Forgets any previous training.</summary>
    public override void OnTrainBegin(TrainingRun run)
    {
        _bestWeights = null;
        _epochsWithoutImprovement = 0;
        _lastEpoch = 0;
        BestEpoch = 0;
        BestValue = float.NaN;
        StoppedEpoch = 0;
        Message = null;
    }

    /// <summary>Compares the epoch's metric with the best so far; returns true once patience has run out.</summary>
    public override bool OnEpochEnd(TrainingRun run, EpochRecord epoch)
    {
        _lastEpoch = epoch.Epoch;
        float value = epoch.Metric(Monitor) ?? throw new InvalidOperationException(
            $"EarlyStopping monitors {Monitor}, which Trainer.Fit did not measure: pass a validation loader, or monitor \"loss\".");
        bool improved = BestEpoch == 0 || (_higherIsBetter ? value > BestValue + MinDelta : value < BestValue - MinDelta);
        if (improved)
        {
            BestEpoch = epoch.Epoch;
            BestValue = value;
            _epochsWithoutImprovement = 0;
            if (RestoreBestWeights) _bestWeights = Snapshot(run.Model);
            return false;
        }
        if (++_epochsWithoutImprovement < Patience) return false;
        StoppedEpoch = epoch.Epoch;
        Say(run, Invariant($"Epoch {epoch.Epoch}: early stopping — {Monitor} has not improved for {Patience} epochs (best {BestValue:0.0000} at epoch {BestEpoch})."));
        return true;
    }

    /// <summary>Puts the best epoch's weights back if it was not the last epoch.</summary>
    public override void OnTrainEnd(TrainingRun run)
    {
        if (_bestWeights is null || BestEpoch == _lastEpoch) return;
        run.Model.LoadStateDict(_bestWeights);
        Say(run, $"restored best weights from epoch {BestEpoch}");
    }

    /// <summary>A deep copy of every parameter and buffer, so later training steps do not change it.</summary>
    private static Dictionary<string, Tensor> Snapshot(Module model)
    {
        using var _ = Tensor.NoGrad();
        return model.StateDict().ToDictionary(entry => entry.Key, entry => entry.Value.Detach().Clone());
    }

    private void Say(TrainingRun run, string line)
    {
        Message = Message is null ? line : Message + "\n" + line;
        run.Log(line);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
