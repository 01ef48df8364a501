namespace CourseKit;

/// <summary>
/// Log-softmax along an axis (like <c>nn.LogSoftmax</c>): log-probabilities, computed stably.
/// Pair it with <see cref="NLLLoss"/>; together they are <see cref="CrossEntropyLoss"/>.
/// </summary>
/// <param name="dim">The axis along which the probabilities sum to 1 (1 for (N, C) scores).</param>
public sealed class LogSoftmax(int dim) : Module
{
    /// <summary>The axis along which the probabilities sum to 1.</summary>
    public int Dim { get; } = dim;

    /// <summary>xᵢ − log Σⱼ e^xⱼ along <see cref="Dim"/>.</summary>
    public override Tensor Forward(Tensor input) => F.LogSoftmax(input, Dim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={Dim}";
}
