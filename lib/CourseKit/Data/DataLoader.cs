using System.Collections;

namespace CourseKit;

/// <summary>
/// Cuts a dataset into mini-batches for training (like <c>torch.utils.data.DataLoader</c>). Each
/// <c>foreach</c> over the loader is one epoch: it visits every sample once, in a fresh random order when
/// <see cref="Shuffle"/> is on.
/// <para>
/// Repeatable: epoch <c>e</c> draws its order and its random transforms from its own generator seeded by
/// (<see cref="Seed"/>, e), so the same seed gives the same batches, and every epoch a different order.
/// </para>
/// </summary>
/// <example><code>
/// var loader = new DataLoader(Mnist.Load("train"), batchSize: 64, shuffle: true, seed: 0, transform: new ToFloat());
/// for (int epoch = 0; epoch &lt; 3; epoch++)
///     foreach (var (images, labels) in loader)      // images (64, 1, 28, 28), labels (64)
///     { … }
/// </code></example>
public sealed class DataLoader : IEnumerable<(Tensor Images, Tensor Labels)>
{
    /// <summary>The dataset batches are drawn from.</summary>
    public IDataset Dataset { get; }

    /// <summary>Samples per batch (the last batch may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch visits the samples in a new random order (training) or in order (evaluation).</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a last batch smaller than <see cref="BatchSize"/> is left out.</summary>
    public bool DropLast { get; }

    /// <summary>Applied to every batch (e.g. <see cref="ToFloat"/>, augmentation); null for none.</summary>
    public ITransform? Transform { get; }

    /// <summary>The seed all of the loader's randomness derives from.</summary>
    public int Seed { get; }

    /// <summary>The epoch the next <c>foreach</c> runs; it counts up by one each time. Set it to replay an epoch.</summary>
    public int Epoch { get; set; }

    /// <summary>Creates the loader.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="shuffle">Visit the samples in a new random order every epoch.</param>
    /// <param name="seed">The seed of the loader's randomness; null to draw one from <see cref="Rng"/> (so <see cref="Rng.ManualSeed"/> makes it repeatable).</param>
    /// <param name="dropLast">Leave out a last, smaller batch.</param>
    /// <param name="transform">Applied to every batch; null for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is not positive.</exception>
    public DataLoader(IDataset dataset, int batchSize, bool shuffle = false, int? seed = null, bool dropLast = false, ITransform? transform = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "DataLoader: the batch size must be positive.");
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Transform = transform;
        Seed = seed ?? Rng.NextSeed();
    }

    /// <summary>The number of batches in an epoch: ⌈N / batch size⌉, or ⌊N / batch size⌋ with <see cref="DropLast"/>.</summary>
    public int Count => DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the samples.</summary>
    public int[] Order(int epoch) => Order(EpochRandom(epoch));

    /// <summary>Runs epoch <see cref="Epoch"/>, then counts it up: the batches, each (images, labels).</summary>
    public IEnumerator<(Tensor Images, Tensor Labels)> GetEnumerator()
    {
        var random = EpochRandom(Epoch++);
        var order = Order(random);
        for (int b = 0; b < Count; b++)
        {
            int start = b * BatchSize;
            var indices = order[start..Math.Min(start + BatchSize, order.Length)];
            yield return Dataset.GetBatch(indices, Transform, random);     // transforms draw after the shuffle, from the same generator
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int[] Order(Random random)
    {
        var order = Enumerable.Range(0, Dataset.Count).ToArray();
        if (Shuffle) random.Shuffle(order);
        return order;
    }

    /// <summary>The generator of one epoch, seeded by mixing (seed, epoch) so that nearby pairs give unrelated streams.</summary>
    private Random EpochRandom(int epoch)
    {
        ulong z = ((ulong)(uint)Seed << 32 | (uint)epoch) + 0x9E3779B97F4A7C15;    // SplitMix64's finaliser
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return new Random((int)((z ^ (z >> 31)) & int.MaxValue));
    }

    /// <summary>E.g. <c>DataLoader(MNIST train, batch size 64, 938 batches, shuffled, seed 0)</c>.</summary>
    public override string ToString() =>
        $"DataLoader({(Dataset is ImageDataset d ? d.Name : Dataset.GetType().Name)}, batch size {BatchSize}, {Count} batches" +
        $"{(Shuffle ? ", shuffled" : "")}{(DropLast ? ", drop last" : "")}, seed {Seed}{(Transform is null ? "" : $", {Transform}")})";
}
