namespace CourseKit;

/// <summary>
/// Batch normalisation for vectors (like <c>nn.BatchNorm1d</c>): normalises each of the C features of
/// an (N, C) or (N, C, L) input over the batch (and L), then scales by γ and shifts by β.
/// Typically placed between a Linear layer and its activation. See <see cref="BatchNormBase"/>.
/// </summary>
/// <param name="numFeatures">C, the number of features (axis 1 of the input).</param>
/// <param name="eps">ε, added to the variance before the square root.</param>
/// <param name="momentum">How far the running statistics move towards each batch's.</param>
/// <param name="affine">Whether to learn γ and β.</param>
/// <param name="trackRunningStats">Whether to keep running statistics for evaluation.</param>
public sealed class BatchNorm1d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats)
{
    /// <inheritdoc/>
    protected override bool AcceptsRank(int rank) => rank is 2 or 3;

    /// <inheritdoc/>
    protected override string ExpectedInput => $"(N, {NumFeatures}) or (N, {NumFeatures}, L)";
}
