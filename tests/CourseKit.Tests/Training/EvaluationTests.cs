namespace CourseKit.Tests.Training;

[Collection("Data")]
public sealed class EvaluationTests
{
    [Fact]
    public void The_confusion_matrix_counts_every_sample_and_its_diagonal_is_the_accuracy()
    {
        Rng.ManualSeed(0);
        var model = Models.KerasMnist();                    // untrained: its mistakes are plentiful
        var test = new DataLoader(TrainingData.MnistTest, batchSize: 100, transform: TrainingData.MnistTransform);

        var result = Trainer.Evaluate(model, test, new CrossEntropyLoss());

        var matrix = result.ConfusionMatrix;
        Assert.Equal((10, 10), (matrix.GetLength(0), matrix.GetLength(1)));
        Assert.Equal(500, matrix.Cast<int>().Sum());
        int diagonal = Enumerable.Range(0, 10).Sum(c => matrix[c, c]);
        Assert.Equal((float)diagonal / 500, result.Accuracy);
        Assert.Equal(TrainingData.MnistTest.LabelHistogram(), Enumerable.Range(0, 10).Select(t => Enumerable.Range(0, 10).Sum(p => matrix[t, p])));
        Assert.InRange(result.Loss!.Value, 1.5f, 3.5f);                  // ≈ ln 10 = 2.30 before training
        Assert.Equal(Mnist.ClassNames, result.ClassNames);
    }

    [Fact]
    public void Per_class_accuracy_and_misclassified_examples_match_the_predictions()
    {
        // Class 0 is (low, high), class 1 (high, low); a fixed linear layer that calls everything class 0
        // gets class 0 right and class 1 wrong.
        var data = TrainingData.TwoBlobs(10, seed: 3);
        var model = new Sequential(new Flatten(), new Linear(2, 2));
        using (Tensor.NoGrad())
        {
            var (weight, bias) = (model.Parameters().First(), model.Parameters().Last());
            weight.CopyFrom(Tensor.Zeros(2, 2));
            bias.CopyFrom(Tensor.Of(1f, 0f));
        }
        model.Train();

        var result = Trainer.Evaluate(model, new DataLoader(data, batchSize: 4, shuffle: true, seed: 1, transform: new ToFloat()), maxMisclassified: 3);

        Assert.Equal([1f, 0f], result.PerClassAccuracy);
        Assert.Equal(0.5f, result.Accuracy);
        Assert.Null(result.Loss);
        Assert.Equal(3, result.Misclassified.Count);
        Assert.All(result.Misclassified, m =>
        {
            Assert.Equal((1, 0), (m.TrueClass, m.PredictedClass));
            Assert.Equal(1, data.Labels[m.Index]);                        // indices point into the dataset, even shuffled
            Assert.Equal(MathF.Exp(1) / (MathF.Exp(1) + 1), m.Confidence, 5);
        });
        Assert.True(model.Training);                                       // the mode it had before
        Assert.Contains("Accuracy 50.00% (5/10)", result.ToString());
        Assert.Contains("right", result.ToString());
    }

    [Fact]
    public void A_model_that_does_not_output_class_scores_is_explained()
    {
        var data = TrainingData.TwoBlobs(4, seed: 1);
        var e = Assert.Throws<ShapeException>(() => Trainer.Evaluate(new ReLU(), new DataLoader(data, batchSize: 4)));
        Assert.Contains("(N, C)", e.Message);
    }
}
