namespace CourseKit;

/// <summary>
/// A dataset a <see cref="DataLoader"/> can draw batches from (like <c>torch.utils.data.Dataset</c>): a number
/// of samples, and a way to turn a list of sample indices into a batch.
/// </summary>
public interface IDataset
{
    /// <summary>The number of samples.</summary>
    int Count { get; }

    /// <summary>
    /// The samples at <paramref name="indices"/> as one batch: the inputs, e.g. images (N, C, H, W), and the
    /// labels (N) as class indices stored as floats (what <see cref="CrossEntropyLoss"/> takes).
    /// </summary>
    /// <param name="indices">Which samples, in batch order.</param>
    /// <param name="transform">Applied to the inputs of the batch (e.g. <see cref="ToFloat"/>, augmentation); null for none.</param>
    /// <param name="random">The generator random transforms draw from; null to seed one from <see cref="Rng"/>.</param>
    (Tensor Images, Tensor Labels) GetBatch(int[] indices, ITransform? transform = null, Random? random = null);
}
