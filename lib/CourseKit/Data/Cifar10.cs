using System.Formats.Tar;
using System.IO.Compression;

namespace CourseKit;

/// <summary>
/// CIFAR-10 (Krizhevsky, 2009): 32 × 32 colour images in ten classes, 50,000 for training and 10,000 for
/// testing, in the official binary layout: <c>cifar-10-batches-bin/data_batch_1.bin</c> … <c>data_batch_5.bin</c>,
/// <c>test_batch.bin</c> and <c>batches.meta.txt</c> (the class names). Each batch file is a plain sequence of
/// 3,073-byte records — 1 label byte, then the 1,024 red, 1,024 green and 1,024 blue bytes of a 32 × 32
/// image — so the number of images is the file length ÷ 3,073. The official <c>cifar-10-binary.tar.gz</c>
/// is also read directly, without unpacking. The full dataset is not shipped (find it through
/// <see cref="DataDirectory"/>, or run <c>coursekit data fetch cifar10</c>); the first 2,000 training and 500
/// test images ship in <c>datasets/samples/cifar-10-batches-bin/</c>.
/// </summary>
/// <example><code>
/// var train = Cifar10.Load("train");                 // 50000 images 3×32×32
/// var sample = Cifar10.Load("test", sample: true);   // 500 images
/// </code></example>
public static class Cifar10
{
    /// <summary>The class names, by label (as in the official <c>batches.meta.txt</c>).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Bytes per record: 1 label byte and 3 × 32 × 32 pixel bytes.</summary>
    public const int RecordSize = 1 + ImageSize;

    private const int ImageSize = 3 * 32 * 32;

    /// <summary>The folder of the binary version.</summary>
    internal const string FolderName = "cifar-10-batches-bin";

    /// <summary>The official archive of the binary version.</summary>
    internal const string ArchiveName = "cifar-10-binary.tar.gz";

    /// <summary>
    /// The SHA-256 of the official archive (170,052,171 bytes). The dataset's page publishes only its MD5
    /// (<see cref="DatasetDownloader"/> checks that too when downloading); this SHA-256 is the one listed by
    /// TensorFlow Datasets and others. Hashes of the unpacked <c>.bin</c> files are not published: a folder of
    /// them is checked against the <c>SHA256SUMS</c> beside it, which <c>coursekit data fetch</c> writes.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> OfficialSha256 { get; } = new Dictionary<string, string>
    {
        [ArchiveName] = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
    };

    private const string OfficialSource = "CourseKit's table of the official CIFAR-10 hashes";

    /// <summary>Loads the training or test images.</summary>
    /// <param name="split"><c>"train"</c> (whichever of <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c> exist, in order) or <c>"test"</c> (<c>test_batch.bin</c>).</param>
    /// <param name="dataDir">The folder to load from (a data root or the <c>cifar-10-batches-bin</c> folder itself); null to search <see cref="DataDirectory.SearchOrder"/>.</param>
    /// <param name="sample">Load the small sample in <c>samples/cifar-10-batches-bin/</c> (2,000 train, 500 test images).</param>
    /// <exception cref="DatasetNotFoundException">The files are in none of the places searched.</exception>
    /// <exception cref="InvalidDataException">A file is truncated or corrupt, or its length is not a whole number of records.</exception>
    public static ImageDataset Load(string split = "train", string? dataDir = null, bool sample = false)
    {
        string[] batches = split switch
        {
            "train" => ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"],
            "test" => ["test_batch.bin"],
            _ => throw new ArgumentException($"CIFAR-10: split must be \"train\" or \"test\", got \"{split}\".", nameof(split)),
        };
        string? fetchName = sample ? null : "cifar10";
        bool HasBatches(string dir) => batches.Any(b => File.Exists(Path.Combine(dir, b)));
        var location = DataDirectory.Locate($"CIFAR-10 ({split}{(sample ? ", sample" : "")})", FolderName,
            dir => HasBatches(dir) || (!sample && ArchiveFor(dir) is not null),
            (batches.Length == 1 ? batches[0] : $"any of {batches[0]} … {batches[^1]}") + (sample ? "" : $", or {ArchiveName} beside the folder,"),
            dataDir, sample, fetchName);

        var name = $"CIFAR-10 {split}{(sample ? " (sample)" : "")}";
        return HasBatches(location)
            ? LoadFolder(name, location, batches, fetchName)
            : LoadArchive(name, ArchiveFor(location)!, batches);
    }

    /// <summary>The official archive for a candidate folder: beside a <c>cifar-10-batches-bin</c> folder, or inside the folder; null if there is none.</summary>
    private static string? ArchiveFor(string dir)
    {
        var beside = Path.GetFileName(Path.TrimEndingDirectorySeparator(dir)) == FolderName ? Path.GetDirectoryName(Path.GetFullPath(dir)) : null;
        foreach (var folder in new[] { beside, dir })
            if (folder is not null && File.Exists(Path.Combine(folder, ArchiveName))) return Path.Combine(folder, ArchiveName);
        return null;
    }

    private static ImageDataset LoadFolder(string name, string folder, string[] batches, string? fetchName)
    {
        var files = batches.Select(b => Path.Combine(folder, b)).Where(File.Exists).ToList();
        foreach (var file in files) Checksums.VerifyDataFile(file, OfficialSha256, OfficialSource, fetchName);
        var counts = files.Select(f => RecordCount(new FileInfo(f).Length, f)).ToList();

        var pixels = new byte[counts.Sum() * (long)ImageSize];
        var labels = new byte[counts.Sum()];
        int first = 0;
        for (int i = 0; i < files.Count; i++)
        {
            using var stream = new FileStream(files[i], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            ReadRecords(stream, files[i], counts[i], pixels, labels, first);
            first += counts[i];
        }
        return new ImageDataset(name, pixels, labels, 3, 32, 32, ReadClassNames(Path.Combine(folder, "batches.meta.txt"), fetchName));
    }

    /// <summary>Reads the batches straight out of the official <c>.tar.gz</c> (after checking the archive's SHA-256).</summary>
    private static ImageDataset LoadArchive(string name, string archive, string[] batches)
    {
        Checksums.VerifyDataFile(archive, OfficialSha256, OfficialSource, "cifar10");
        var found = new Dictionary<string, (byte[] Pixels, byte[] Labels)>();
        IReadOnlyList<string> classNames = ClassNames;
        using (var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
        using (var tar = new TarReader(new GZipStream(file, CompressionMode.Decompress)))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                var entryName = Path.GetFileName(entry.Name);
                if (entry.DataStream is null || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                var where = $"{archive} ({entry.Name})";
                if (batches.Contains(entryName))
                {
                    int count = RecordCount(entry.Length, where);
                    var pixels = new byte[count * (long)ImageSize];
                    var labels = new byte[count];
                    ReadRecords(entry.DataStream, where, count, pixels, labels, 0);
                    found[entryName] = (pixels, labels);
                }
                else if (entryName == "batches.meta.txt")
                    classNames = ParseClassNames(new StreamReader(entry.DataStream).ReadToEnd(), where);
            }
        }
        var parts = batches.Where(found.ContainsKey).Select(b => found[b]).ToList();
        if (parts.Count == 0) throw new InvalidDataException($"{archive} holds none of {string.Join(", ", batches)}.");
        return new ImageDataset(name, parts.SelectMany(p => p.Pixels).ToArray(), parts.SelectMany(p => p.Labels).ToArray(), 3, 32, 32, classNames);
    }

    /// <summary>The number of records in a batch of <paramref name="length"/> bytes.</summary>
    /// <exception cref="InvalidDataException">The length is not a whole number of records.</exception>
    internal static int RecordCount(long length, string file)
    {
        if (length % RecordSize != 0)
            throw new InvalidDataException(
                $"{file} is {length:N0} bytes, not a whole number of {RecordSize:N0}-byte CIFAR-10 records " +
                $"(1 label byte + 3 × 32 × 32 pixel bytes; {length / RecordSize:N0} records and {length % RecordSize:N0} bytes left over): " +
                "it is truncated or not a CIFAR-10 batch.");
        return (int)(length / RecordSize);
    }

    /// <summary>Reads <paramref name="count"/> records into <paramref name="labels"/> and <paramref name="pixels"/> from image <paramref name="first"/> on.</summary>
    private static void ReadRecords(Stream stream, string file, int count, byte[] pixels, byte[] labels, int first)
    {
        const int chunk = 1000;                                  // records per read
        var buffer = new byte[chunk * RecordSize];
        for (int done = 0; done < count; done += chunk)
        {
            int n = Math.Min(chunk, count - done);
            try { stream.ReadExactly(buffer, 0, n * RecordSize); }
            catch (EndOfStreamException) { throw new InvalidDataException($"{file} ends early, after fewer than {count:N0} records: it is truncated."); }
            for (int r = 0; r < n; r++)
            {
                int image = first + done + r;
                byte label = buffer[r * RecordSize];
                if (label >= ClassNames.Count)
                    throw new InvalidDataException($"{file}: record {done + r} has label {label}; CIFAR-10 labels are 0–9.");
                labels[image] = label;
                buffer.AsSpan(r * RecordSize + 1, ImageSize).CopyTo(pixels.AsSpan((int)((long)image * ImageSize), ImageSize));
            }
        }
    }

    /// <summary>The class names from <c>batches.meta.txt</c> (checked against its SHA-256 when one is known), or the official names when there is no such file.</summary>
    private static IReadOnlyList<string> ReadClassNames(string path, string? fetchName)
    {
        if (!File.Exists(path)) return ClassNames;
        if (Checksums.Expected(path, OfficialSha256, OfficialSource) is { } expected)
            Checksums.Verify(path, expected, Checksums.Advice(path, fetchName));
        return ParseClassNames(File.ReadAllText(path), path);
    }

    private static IReadOnlyList<string> ParseClassNames(string text, string file)
    {
        var names = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length != ClassNames.Count)
            throw new InvalidDataException($"{file} names {names.Length} classes; CIFAR-10 has {ClassNames.Count}, one per line.");
        return names;
    }
}
