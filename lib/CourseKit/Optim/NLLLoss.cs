namespace CourseKit;

/// <summary>
/// Negative log-likelihood loss (like <c>nn.NLLLoss</c>): takes log-probabilities (N, C), e.g. from
/// <see cref="LogSoftmax"/>, and class indices (N), and returns the mean of −logProbs[target].
/// See <see cref="F.NllLoss"/>.
/// </summary>
/// <param name="reduction">Average over the batch (default), total, or one loss per sample.</param>
public sealed class NLLLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>The negative log-likelihood of the log-probabilities <paramref name="input"/> (N, C) at the class indices <paramref name="target"/> (N).</summary>
    public override Tensor Forward(Tensor input, Tensor target) => F.NllLoss(input, target, Reduction);
}
