namespace CourseKit;

/// <summary>
/// Mean squared error (like <c>nn.MSELoss</c>): the average of (prediction − target)² over all
/// elements — the usual loss for regression. See <see cref="F.MseLoss"/>.
/// </summary>
/// <param name="reduction">Average over all elements (default), total, or element-wise.</param>
public sealed class MSELoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>The squared error of <paramref name="input"/> against <paramref name="target"/> (same shape).</summary>
    public override Tensor Forward(Tensor input, Tensor target) => F.MseLoss(input, target, Reduction);
}
