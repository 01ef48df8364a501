namespace CourseKit.Tests.Training;

public sealed class EarlyStoppingTests
{
    [Fact]
    public void With_nothing_improving_it_stops_after_patience_plus_one_epochs_and_names_epoch_1_the_best()
    {
        var model = TrainingData.LinearClassifier();
        var train = new DataLoader(TrainingData.TwoBlobs(40, seed: 1), batchSize: 10, transform: new ToFloat());
        var validation = new DataLoader(TrainingData.TwoBlobs(20, seed: 2), batchSize: 10, transform: new ToFloat());
        var stop = new EarlyStopping(monitor: "val_loss", patience: 3);

        var history = Trainer.Fit(model, new CrossEntropyLoss(), new SGD(model.Parameters(), lr: 0f), train, validation,
                                  epochs: 20, callbacks: [stop], verbose: false);

        Assert.Equal(4, history.Epochs.Count);
        Assert.Equal((1, 4), (stop.BestEpoch, stop.StoppedEpoch));
        Assert.Contains("val_loss has not improved for 3 epochs", stop.Message);
        Assert.Contains(stop.Message!.Split('\n')[0], history.Messages);
    }

    [Fact]
    public void It_restores_the_weights_of_the_best_epoch_and_says_so()
    {
        // The validation labels are swapped, so the better the model fits the training set, the worse its
        // validation loss: the best epoch is the first.
        var model = TrainingData.LinearClassifier();
        var train = new DataLoader(TrainingData.TwoBlobs(40, seed: 1), batchSize: 10, shuffle: true, seed: 0, transform: new ToFloat());
        var validation = new DataLoader(TrainingData.TwoBlobs(20, seed: 2, swapLabels: true), batchSize: 10, transform: new ToFloat());
        var stop = new EarlyStopping(monitor: "val_loss", patience: 2);
        var snapshots = new WeightsAfterEachEpoch();
        var printed = new StringWriter();

        var history = Trainer.Fit(model, new CrossEntropyLoss(), new SGD(model.Parameters(), lr: 0.5f), train, validation,
                                  epochs: 10, callbacks: [new ConsoleProgress(printed), snapshots, stop], verbose: false);

        Assert.Equal((1, 3), (stop.BestEpoch, stop.StoppedEpoch));
        Assert.Equal(3, history.Epochs.Count);
        Assert.NotEqual(snapshots.Weights[1]["1.weight"], snapshots.Weights[3]["1.weight"]);
        Assert.Equal(snapshots.Weights[1], TrainingData.Weights(model));
        Assert.Contains("restored best weights from epoch 1", stop.Message);
        Assert.Contains("restored best weights from epoch 1", printed.ToString());
        Assert.Equal("restored best weights from epoch 1", history.Messages[^1]);
    }

    [Fact]
    public void Monitoring_accuracy_looks_for_an_increase()
    {
        var model = TrainingData.LinearClassifier();
        var train = new DataLoader(TrainingData.TwoBlobs(40, seed: 1), batchSize: 10, transform: new ToFloat());
        var stop = new EarlyStopping(monitor: "accuracy", patience: 2);

        Trainer.Fit(model, new CrossEntropyLoss(), new SGD(model.Parameters(), lr: 0.5f), train, epochs: 30, callbacks: [stop], verbose: false);

        Assert.True(stop.StoppedEpoch > 0 && stop.StoppedEpoch == stop.BestEpoch + 2, $"best {stop.BestEpoch}, stopped {stop.StoppedEpoch}");
        Assert.Equal(1f, stop.BestValue);
    }

    [Fact]
    public void Monitoring_val_loss_without_a_validation_set_is_explained()
    {
        var model = TrainingData.LinearClassifier();
        var train = new DataLoader(TrainingData.TwoBlobs(10, seed: 1), batchSize: 10, transform: new ToFloat());
        var e = Assert.Throws<InvalidOperationException>(() =>
            Trainer.Fit(model, new CrossEntropyLoss(), new SGD(model.Parameters(), lr: 0.1f), train, epochs: 2,
                        callbacks: [new EarlyStopping()], verbose: false));
        Assert.Contains("pass a validation loader", e.Message);
        Assert.Throws<ArgumentException>(() => new EarlyStopping(monitor: "precision"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(patience: 0));
    }

    /// <summary>Copies the model's weights at the end of every epoch, by epoch number.</summary>
    private sealed class WeightsAfterEachEpoch : Callback
    {
        public Dictionary<int, Dictionary<string, float[]>> Weights { get; } = [];

        public override bool OnEpochEnd(TrainingRun run, EpochRecord epoch)
        {
            Weights[epoch.Epoch] = TrainingData.Weights(run.Model);
            return false;
        }
    }
}
