namespace CourseKit;

/// <summary>
/// Softmax along an axis (like <c>nn.Softmax</c>): turns scores into probabilities that sum to 1.
/// For training a classifier, feed the raw scores to <see cref="CrossEntropyLoss"/> instead, which includes it.
/// </summary>
/// <param name="dim">The axis along which the values sum to 1 (1 for (N, C) scores).</param>
public sealed class Softmax(int dim) : Module
{
    /// <summary>The axis along which the values sum to 1.</summary>
    public int Dim { get; } = dim;

    /// <summary>e^xᵢ / Σⱼ e^xⱼ along <see cref="Dim"/>.</summary>
    public override Tensor Forward(Tensor input) => F.Softmax(input, Dim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={Dim}";
}
