using System.Globalization;
using System.Text;

namespace CourseKit;

/// <summary>
/// How well a classifier did on a dataset, from <see cref="Trainer.Evaluate"/>: overall and per-class
/// accuracy, the mean loss, the confusion matrix, and the first misclassified samples.
/// </summary>
public sealed class EvaluationResult
{
    internal EvaluationResult(int[,] confusionMatrix, IReadOnlyList<string> classNames, float? loss, IReadOnlyList<Misclassification> misclassified)
    {
        ConfusionMatrix = confusionMatrix;
        ClassNames = classNames;
        Loss = loss;
        Misclassified = misclassified;
        int classes = confusionMatrix.GetLength(0), correct = 0;
        PerClassAccuracy = new float[classes];
        for (int t = 0; t < classes; t++)
        {
            int row = 0;
            for (int p = 0; p < classes; p++) row += confusionMatrix[t, p];
            Count += row;
            correct += confusionMatrix[t, t];
            PerClassAccuracy[t] = row == 0 ? float.NaN : (float)confusionMatrix[t, t] / row;
        }
        Correct = correct;
        Accuracy = Count == 0 ? float.NaN : (float)correct / Count;
    }

    /// <summary>The number of samples evaluated.</summary>
    public int Count { get; }

    /// <summary>How many were classified correctly.</summary>
    public int Correct { get; }

    /// <summary>The fraction (0–1) classified correctly: the diagonal of <see cref="ConfusionMatrix"/> over <see cref="Count"/>.</summary>
    public float Accuracy { get; }

    /// <summary>The mean loss per sample; null when no loss was given.</summary>
    public float? Loss { get; }

    /// <summary>For each class, the fraction of its samples classified correctly (NaN for a class with no samples).</summary>
    public float[] PerClassAccuracy { get; }

    /// <summary><c>ConfusionMatrix[t, p]</c> counts the samples of true class t predicted as class p: rows are the truth, columns the predictions.</summary>
    public int[,] ConfusionMatrix { get; }

    /// <summary>The name of each class (the dataset's, or "0", "1", … when it has none).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The first misclassified samples, in the order they were visited.</summary>
    public IReadOnlyList<Misclassification> Misclassified { get; }

    /// <summary>The accuracy and loss, the per-class accuracies, and the confusion matrix.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Invariant($"Accuracy {Accuracy:0.00%} ({Correct}/{Count})"));
        if (Loss is float loss) text.Append(Invariant($" · loss {loss:0.0000}"));
        int classes = PerClassAccuracy.Length;
        int width = 1 + Math.Max(5, Math.Max(ClassNames.Select(n => n.Length).DefaultIfEmpty(0).Max(),
                                             Count.ToString(CultureInfo.InvariantCulture).Length));
        text.Append("\n\n").Append("class".PadRight(width)).Append("accuracy\n");
        for (int c = 0; c < classes; c++)
            text.Append(ClassNames[c].PadRight(width)).Append(Invariant($"{PerClassAccuracy[c],8:0.0%}\n"));
        text.Append("\nconfusion matrix (rows: true class, columns: predicted)\n").Append(new string(' ', width));
        for (int p = 0; p < classes; p++) text.Append(ClassNames[p].PadLeft(width));
        for (int t = 0; t < classes; t++)
        {
            text.Append('\n').Append(ClassNames[t].PadRight(width));
            for (int p = 0; p < classes; p++) text.Append(ConfusionMatrix[t, p].ToString(CultureInfo.InvariantCulture).PadLeft(width));
        }
        return text.ToString();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
