namespace CourseKit;

/// <summary>
/// MNIST (LeCun, Cortes and Burges): 28 × 28 grey-scale images of hand-written digits, 60,000 for training
/// and 10,000 for testing, in the IDX format (<c>.gz</c> or not). The full dataset ships with the
/// repository in <c>datasets/mnist/</c>, and the first 2,000 training and 500 test images in
/// <c>datasets/samples/mnist/</c>. Every file is checked against its SHA-256 before it is read.
/// </summary>
/// <example><code>
/// var train = Mnist.Load("train");           // 60000 images 1×28×28, labels 0–9
/// var test = Mnist.Load("test");
/// var quick = Mnist.Load("train", sample: true);   // the first 2000
/// </code></example>
public static class Mnist
{
    /// <summary>The class names: the digits "0" … "9".</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>The official SHA-256 of the four uncompressed IDX files (as widely published; <c>datasets/mnist/SHA256SUMS</c> lists the same).</summary>
    internal static IReadOnlyDictionary<string, string> OfficialSha256 { get; } = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte"] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ["train-labels-idx1-ubyte"] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ["t10k-images-idx3-ubyte"] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ["t10k-labels-idx1-ubyte"] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    };

    /// <summary>Loads the training or test images.</summary>
    /// <param name="split"><c>"train"</c> (60,000 images) or <c>"test"</c> (10,000).</param>
    /// <param name="dataDir">The folder to load from (a data root or the <c>mnist</c> folder itself); null to search <see cref="DataDirectory.SearchOrder"/>.</param>
    /// <param name="sample">Load the small sample in <c>samples/mnist/</c> (2,000 train, 500 test images).</param>
    /// <exception cref="DatasetNotFoundException">The files are in none of the places searched.</exception>
    /// <exception cref="InvalidDataException">A file is truncated or corrupt (its SHA-256 does not match).</exception>
    public static ImageDataset Load(string split = "train", string? dataDir = null, bool sample = false) =>
        LoadIdx("MNIST", "mnist", ClassNames, OfficialSha256, split, dataDir, sample);

    /// <summary>Loads an MNIST-style dataset: <c>train-</c>/<c>t10k-images-idx3-ubyte</c> and <c>-labels-idx1-ubyte</c>, each <c>.gz</c> or not.</summary>
    internal static ImageDataset LoadIdx(string title, string folder, IReadOnlyList<string> classNames,
                                         IReadOnlyDictionary<string, string> officialSha256,
                                         string split, string? dataDir, bool sample)
    {
        var prefix = split switch
        {
            "train" => "train",
            "test" => "t10k",
            _ => throw new ArgumentException($"{title}: split must be \"train\" or \"test\", got \"{split}\".", nameof(split)),
        };
        string images = $"{prefix}-images-idx3-ubyte", labels = $"{prefix}-labels-idx1-ubyte";
        string? fetchName = sample ? null : folder;
        var location = DataDirectory.Locate($"{title} ({split}{(sample ? ", sample" : "")})", folder,
            dir => Find(dir, images) is not null && Find(dir, labels) is not null,
            $"{images}[.gz] and {labels}[.gz]", dataDir, sample, fetchName);

        string imagesPath = Find(location, images)!, labelsPath = Find(location, labels)!;
        var officialSource = $"CourseKit's table of the official {title} hashes";
        Checksums.VerifyDataFile(imagesPath, officialSha256, officialSource, fetchName);
        Checksums.VerifyDataFile(labelsPath, officialSha256, officialSource, fetchName);

        var labelBytes = Idx.ReadLabels(labelsPath);
        var (pixels, count, rows, columns) = Idx.ReadImages(imagesPath);
        if (count != labelBytes.Length)
            throw new InvalidDataException($"{imagesPath} holds {count} images but {labelsPath} holds {labelBytes.Length} labels.");
        return new ImageDataset($"{title} {split}{(sample ? " (sample)" : "")}", pixels, labelBytes, 1, rows, columns, classNames);
    }

    /// <summary>The file <paramref name="name"/> in <paramref name="folder"/>, uncompressed or <c>.gz</c> (uncompressed first: it reads faster); null if neither.</summary>
    private static string? Find(string folder, string name)
    {
        var raw = Path.Combine(folder, name);
        if (File.Exists(raw)) return raw;
        return File.Exists(raw + ".gz") ? raw + ".gz" : null;
    }
}
