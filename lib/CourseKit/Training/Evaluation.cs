namespace CourseKit;

public static partial class Trainer
{
    /// <summary>
    /// Measures a classifier on <paramref name="data"/> (like Keras's <c>model.evaluate</c>): accuracy, mean
    /// loss, accuracy per class, confusion matrix, and the first misclassified samples. Runs in evaluation
    /// mode without recording gradients and gives the model its previous mode back.
    /// </summary>
    /// <param name="model">A model giving class scores (N, C).</param>
    /// <param name="data">The batches; labels are class indices (N).</param>
    /// <param name="loss">Also measure this loss; null to skip it.</param>
    /// <param name="maxMisclassified">How many misclassified samples to keep (the first ones in dataset order of visit).</param>
    /// <param name="cancellation">Checked before every batch.</param>
    /// <exception cref="ShapeException">The model's output is not (N, C) scores for labels (N).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public static EvaluationResult Evaluate(Module model, DataLoader data, Loss? loss = null, int maxMisclassified = 100,
                                            CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (loss is not null) CheckReducesToOneNumber(loss, nameof(Evaluate));
        using var stop = NotebookCancellation.Link(cancellation);
        cancellation = stop.Token;
        var order = data.Order(data.Epoch);        // which dataset sample each batch position holds
        var classNames = (data.Dataset as ImageDataset)?.ClassNames;
        int[,]? confusion = null;
        var misclassified = new List<Misclassification>();
        double lossSum = 0;
        int seen = 0;

        bool wasTraining = model.Training;
        model.Eval();
        using (Tensor.NoGrad())
        {
            try
            {
                foreach (var (images, labels) in data)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var output = model.Call(images);
                    int n = images.Shape[0];
                    if (output.Rank != 2 || labels.Shape != new Shape(n))
                        throw new ShapeException($"Trainer.Evaluate needs class scores (N, C) and labels (N); the model gave {output.Shape} for labels {labels.Shape}.");
                    if (loss is not null) lossSum += (double)MeanLoss(loss, loss.Call(output, labels), n) * n;
                    int classes = Math.Max(output.Shape[1], classNames?.Count ?? 0);
                    confusion ??= new int[classes, classes];

                    var predicted = output.ArgMax(1).ToArray();
                    var truth = labels.ToArray();
                    var probabilities = misclassified.Count < maxMisclassified ? F.Softmax(output, 1) : null;
                    for (int i = 0; i < n; i++)
                    {
                        int t = (int)truth[i], p = (int)predicted[i];
                        if (t < 0 || t >= classes)
                            throw new ArgumentException($"Trainer.Evaluate: label {truth[i]} is not a class index; the model scores {output.Shape[1]} classes.");
                        confusion[t, p]++;
                        if (t != p && misclassified.Count < maxMisclassified)
                            misclassified.Add(new Misclassification(order[seen + i], t, p, probabilities![i, p]));
                    }
                    seen += n;
                }
            }
            finally
            {
                model.Train(wasTraining);
            }
        }
        confusion ??= new int[classNames?.Count ?? 0, classNames?.Count ?? 0];
        return new EvaluationResult(confusion, classNames ?? Enumerable.Range(0, confusion.GetLength(0)).Select(c => c.ToString()).ToArray(),
                                    loss is null || seen == 0 ? null : (float)(lossSum / seen), misclassified);
    }
}
