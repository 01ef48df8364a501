namespace CourseKit;

/// <summary>
/// Cross-entropy loss for classification (like <c>nn.CrossEntropyLoss</c>): takes raw scores (N, C) —
/// no softmax before it — and class indices (N), and returns the mean of −log softmax(scores)[target].
/// See <see cref="F.CrossEntropy"/>.
/// </summary>
/// <example><code>
/// var criterion = new CrossEntropyLoss();
/// var loss = criterion.Call(model.Call(images), labels);
/// </code></example>
/// <param name="reduction">Average over the batch (default), total, or one loss per sample.</param>
/// <param name="labelSmoothing">ε in [0, 1] (PyTorch's <c>label_smoothing</c>): the target becomes (1 − ε)·onehot + ε/C.</param>
public sealed class CrossEntropyLoss(Reduction reduction = Reduction.Mean, float labelSmoothing = 0f) : Loss(reduction)
{
    /// <summary>ε: the share of the target spread evenly over all classes (0 = plain cross-entropy).</summary>
    public float LabelSmoothing { get; } = labelSmoothing is >= 0f and <= 1f ? labelSmoothing
        : throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "CrossEntropyLoss: label smoothing must be between 0 and 1 (0.1 is usual).");

    /// <summary>The cross-entropy of the scores <paramref name="input"/> (N, C) against the class indices <paramref name="target"/> (N).</summary>
    public override Tensor Forward(Tensor input, Tensor target) => F.CrossEntropy(input, target, Reduction, LabelSmoothing);

    /// <summary>PyTorch-style, e.g. <c>CrossEntropyLoss(label_smoothing=0.1)</c>.</summary>
    public override string ToString() => LabelSmoothing == 0f ? base.ToString()
        : base.ToString().TrimEnd(')') + (Reduction == Reduction.Mean ? "" : ", ") + $"label_smoothing={LabelSmoothing.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
}
