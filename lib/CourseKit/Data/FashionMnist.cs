namespace CourseKit;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf, Zalando Research, 2017; MIT licence): 28 × 28 grey-scale
/// images of ten kinds of clothing, 60,000 for training and 10,000 for testing, with exactly MNIST's
/// layout and file names — a harder drop-in replacement. It is not shipped: <c>coursekit data fetch
/// fashion-mnist</c> downloads it into the per-user cache, or point <c>COURSEKIT_DATA</c> at a folder
/// that holds <c>fashion-mnist/</c>.
/// </summary>
public static class FashionMnist
{
    /// <summary>The class names, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// The SHA-256 of the four official <c>.gz</c> files (as distributed by Zalando Research and listed by
    /// TensorFlow Datasets). Only the compressed files' hashes are published, so without a <c>SHA256SUMS</c>
    /// beside them the official <c>.gz</c> files themselves are checked.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> OfficialSha256 { get; } = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte.gz"] = "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
        ["train-labels-idx1-ubyte.gz"] = "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
        ["t10k-images-idx3-ubyte.gz"] = "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
        ["t10k-labels-idx1-ubyte.gz"] = "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf",
    };

    /// <summary>Loads the training or test images.</summary>
    /// <param name="split"><c>"train"</c> (60,000 images) or <c>"test"</c> (10,000).</param>
    /// <param name="dataDir">The folder to load from (a data root or the <c>fashion-mnist</c> folder itself); null to search <see cref="DataDirectory.SearchOrder"/>.</param>
    /// <param name="sample">Load from <c>samples/fashion-mnist/</c> instead.</param>
    /// <exception cref="DatasetNotFoundException">The files are in none of the places searched.</exception>
    /// <exception cref="InvalidDataException">A file is truncated or corrupt (its SHA-256 does not match).</exception>
    public static ImageDataset Load(string split = "train", string? dataDir = null, bool sample = false) =>
        Mnist.LoadIdx("Fashion-MNIST", "fashion-mnist", ClassNames, OfficialSha256, split, dataDir, sample);
}
