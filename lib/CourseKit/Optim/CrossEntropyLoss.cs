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
public sealed class CrossEntropyLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>The cross-entropy of the scores <paramref name="input"/> (N, C) against the class indices <paramref name="target"/> (N).</summary>
    public override Tensor Forward(Tensor input, Tensor target) => F.CrossEntropy(input, target, Reduction);
}
