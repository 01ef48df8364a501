using System.Diagnostics;

namespace CourseKit;

/// <summary>
/// The training loop (like Keras's <c>model.fit</c> and <c>model.evaluate</c>, written out once so notebooks
/// do not repeat it). Every step is the lecture's recipe:
/// <code>
/// optimizer.ZeroGrad();                       // forget the previous batch's gradients
/// var loss = criterion.Call(model.Call(images), labels);
/// loss.Backward();                            // d(loss)/d(w) for every weight
/// optimizer.Step();                           // w ← w − α · update
/// </code>
/// Repeatable: with the same <see cref="Rng.ManualSeed"/>, loader seeds and thread count, two runs give the
/// same loss curve bit for bit.
/// </summary>
public static partial class Trainer
{
    /// <summary>
    /// Makes the progress display <see cref="Fit"/> adds when <c>verbose</c> is on: by default
    /// <see cref="NotebookProgress"/> — one output updated in place in a notebook, one line per epoch
    /// (<see cref="ConsoleProgress"/>) elsewhere; the terminal tool replaces it with a progress bar.
    /// Returning null shows nothing.
    /// </summary>
    public static Func<Callback?> DefaultProgress { get; set; } = () => new NotebookProgress();

    /// <summary>
    /// Trains <paramref name="model"/> for <paramref name="epochs"/> passes over <paramref name="train"/>,
    /// evaluating on <paramref name="validation"/> after each epoch, and returns what happened.
    /// </summary>
    /// <param name="model">The model; it is in training mode during the steps and gets its previous mode back at the end.</param>
    /// <param name="loss">The loss to minimise, e.g. <see cref="CrossEntropyLoss"/> (reduction mean or sum).</param>
    /// <param name="optimizer">Updates the model's weights, e.g. <c>new Adam(model.Parameters(), lr: 1e-3f)</c>.</param>
    /// <param name="train">The training batches (usually shuffled).</param>
    /// <param name="validation">Batches to measure loss and accuracy on after each epoch; null for none.</param>
    /// <param name="epochs">How many passes over the training set (callbacks may stop earlier).</param>
    /// <param name="callbacks">Run at fixed points of training, e.g. <see cref="EarlyStopping"/>.</param>
    /// <param name="schedule">A learning-rate schedule; its <see cref="LearningRateSchedule.Step"/> runs after every epoch.</param>
    /// <param name="verbose">Show progress with <see cref="DefaultProgress"/>.</param>
    /// <param name="cancellation">Checked before every step, together with the notebook cell's own token (interrupting the cell stops training); when cancelled, <see cref="TrainingCancelledException"/> is thrown.</param>
    /// <returns>The per-epoch and per-step losses and accuracies.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one epoch, or a training loader without batches.</exception>
    /// <exception cref="TrainingCancelledException">Training was cancelled or interrupted; the weights are those of the last finished step and the exception carries the history so far.</exception>
    public static History Fit(Module model, Loss loss, Optimizer optimizer, DataLoader train, DataLoader? validation = null,
                              int epochs = 1, IEnumerable<Callback>? callbacks = null, LearningRateSchedule? schedule = null,
                              bool verbose = true, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(train);
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Trainer.Fit: train for at least 1 epoch.");
        if (train.Count == 0) throw new ArgumentOutOfRangeException(nameof(train), $"Trainer.Fit: {train} has no batches.");
        CheckReducesToOneNumber(loss, nameof(Fit));

        var listeners = new List<Callback>();
        if (verbose && DefaultProgress() is { } progress) listeners.Add(progress);
        if (callbacks is not null) listeners.AddRange(callbacks);
        var run = new TrainingRun(model, loss, optimizer, train, validation, epochs, listeners);
        using var interrupt = NotebookCancellation.Link(cancellation);
        cancellation = interrupt.Token;

        bool wasTraining = model.Training;
        try
        {
            foreach (var callback in listeners) callback.OnTrainBegin(run);
            for (int epoch = 1; epoch <= epochs; epoch++)
            {
                foreach (var callback in listeners) callback.OnEpochBegin(run, epoch);
                var record = RunEpoch(run, listeners, epoch, cancellation);
                run.History.Add(record);
                schedule?.Step();
                bool stop = false;
                foreach (var callback in listeners) stop |= callback.OnEpochEnd(run, record);
                if (stop) break;
            }
            foreach (var callback in listeners) callback.OnTrainEnd(run);
        }
        catch (OperationCanceledException e) when (e is not TrainingCancelledException)
        {
            throw new TrainingCancelledException(run.History, cancellation);
        }
        finally
        {
            model.Train(wasTraining);
        }
        return run.History;
    }

    /// <summary>One pass over the training set, then the validation set.</summary>
    private static EpochRecord RunEpoch(TrainingRun run, List<Callback> listeners, int epoch, CancellationToken cancellation)
    {
        var (model, loss, optimizer) = (run.Model, run.Loss, run.Optimizer);
        float learningRate = optimizer.LearningRate;
        var clock = Stopwatch.StartNew();
        double lossSum = 0;                        // Σ batch loss × batch size
        long correct = 0;
        int seen = 0, step = 0;
        bool classification = true;                // false once a batch is not (scores, classes)

        model.Train();
        foreach (var (images, labels) in run.Train)
        {
            cancellation.ThrowIfCancellationRequested();
            optimizer.ZeroGrad();
            var output = model.Call(images);
            var batchLoss = loss.Call(output, labels);
            batchLoss.Backward();
            optimizer.Step();

            int n = images.Shape[0];
            float meanLoss = MeanLoss(loss, batchLoss, n);
            int? right = CountCorrect(output, labels);
            lossSum += (double)meanLoss * n;
            correct += right ?? 0;
            classification &= right is not null;
            seen += n;
            step++;

            float accuracy = right is int r ? (float)r / n : float.NaN;
            run.History.Add(new StepRecord(run.History.Steps.Count + 1, epoch, meanLoss, accuracy));
            var progress = new StepProgress(epoch, run.Epochs, step, run.StepsPerEpoch, run.History.Steps.Count, n,
                                            meanLoss, accuracy, (float)(lossSum / seen),
                                            classification ? (float)correct / seen : float.NaN, seen, clock.Elapsed);
            foreach (var callback in listeners) callback.OnStepEnd(run, progress);
        }

        float trainLoss = (float)(lossSum / seen);
        float trainAccuracy = classification ? (float)correct / seen : float.NaN;
        float? validationLoss = null, validationAccuracy = null;
        if (run.Validation is not null)
        {
            var result = Evaluate(model, run.Validation, loss, maxMisclassified: 0, cancellation);
            (validationLoss, validationAccuracy) = (result.Loss, result.Accuracy);
        }
        return new EpochRecord(epoch, trainLoss, trainAccuracy, validationLoss, validationAccuracy, learningRate, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Throws for a loss that keeps one value per sample (<see cref="Reduction.None"/>).</summary>
    private static void CheckReducesToOneNumber(Loss loss, string method)
    {
        if (loss.Reduction == Reduction.None)
            throw new ArgumentException($"Trainer.{method} needs a loss that is one number: {loss} keeps one loss per sample; use Reduction.Mean.", nameof(loss));
    }

    /// <summary>The mean loss per sample of a batch of <paramref name="n"/> samples, whatever the loss's reduction.</summary>
    private static float MeanLoss(Loss loss, Tensor value, int n) =>
        loss.Reduction == Reduction.Sum ? value.Item() / n : value.Item();

    /// <summary>
    /// How many predictions — the largest score of each row of <paramref name="output"/> (N, C) — equal the class
    /// in <paramref name="labels"/>: class indices (N) or one-hot rows (N, C). Null when the batch is not a classification.
    /// </summary>
    private static int? CountCorrect(Tensor output, Tensor labels)
    {
        if (output.Rank != 2) return null;
        var predicted = output.ArgMax(1);
        if (labels.Rank == 1 && labels.Shape[0] == output.Shape[0]) return (int)predicted.Eq(labels).Sum().Item();
        if (labels.Shape == output.Shape) return (int)predicted.Eq(labels.ArgMax(1)).Sum().Item();
        return null;
    }
}
