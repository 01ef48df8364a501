using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CourseKit.Tests.Data;

/// <summary>The data tests share one fixture, so they run together and one after another.</summary>
[CollectionDefinition("Data")]
public sealed class DataCollection : ICollectionFixture<DataFixture> { }

/// <summary>
/// Keeps the data tests hermetic: the per-user cache (downloads and the record of verified files) is a
/// temporary folder for as long as they run, so full MNIST is hashed once per test run and nothing is
/// left in the real cache.
/// </summary>
public sealed class DataFixture : IDisposable
{
    private readonly EnvironmentScope _environment;

    /// <summary>The temporary per-user cache.</summary>
    public string Cache { get; } = Directory.CreateTempSubdirectory("coursekit-cache-").FullName;

    public DataFixture() => _environment = new EnvironmentScope().Set(DataDirectory.CacheEnvironmentVariable, Cache);

    public void Dispose()
    {
        _environment.Dispose();
        Directory.Delete(Cache, recursive: true);
    }
}

/// <summary>Sets environment variables and puts the old values back when disposed.</summary>
internal sealed class EnvironmentScope : IDisposable
{
    private readonly List<(string Name, string? Value)> _saved = [];

    public EnvironmentScope Set(string name, string? value)
    {
        _saved.Add((name, Environment.GetEnvironmentVariable(name)));
        Environment.SetEnvironmentVariable(name, value);
        return this;
    }

    public void Dispose()
    {
        for (int i = _saved.Count - 1; i >= 0; i--) Environment.SetEnvironmentVariable(_saved[i].Name, _saved[i].Value);
    }
}

/// <summary>A temporary folder, deleted when disposed.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("coursekit-data-").FullName;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>The shipped datasets, and small files made for a test.</summary>
internal static class TestData
{
    /// <summary>The repository's <c>datasets/</c> folder.</summary>
    public static string Datasets =>
        System.IO.Path.Combine(DataDirectory.RepositoryRoot ?? throw new InvalidOperationException("The tests must run inside the repository."), "datasets");

    public static string Samples => System.IO.Path.Combine(Datasets, "samples");

    /// <summary>The shipped full MNIST training set, loaded once.</summary>
    public static ImageDataset MnistTrain => LazyMnistTrain.Value;
    private static readonly Lazy<ImageDataset> LazyMnistTrain = new(() => Mnist.Load("train", dataDir: Datasets));

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    public static string Sha256(string path) => Sha256(File.ReadAllBytes(path));

    /// <summary>Copies files into <paramref name="folder"/> and writes a SHA256SUMS of them there.</summary>
    public static void CopyWithSums(string folder, params string[] files)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in files) File.Copy(file, System.IO.Path.Combine(folder, System.IO.Path.GetFileName(file)), overwrite: true);
        WriteSums(folder);
    }

    /// <summary>Writes a SHA256SUMS of every file in <paramref name="folder"/>.</summary>
    public static void WriteSums(string folder)
    {
        var lines = Directory.GetFiles(folder).Where(f => System.IO.Path.GetFileName(f) != "SHA256SUMS").Order()
            .Select(f => $"{Sha256(f)}  {System.IO.Path.GetFileName(f)}\n");
        File.WriteAllText(System.IO.Path.Combine(folder, "SHA256SUMS"), string.Concat(lines));
    }

    /// <summary>
    /// Writes a tiny MNIST-format split (uncompressed IDX) of <paramref name="count"/> images of
    /// <paramref name="rows"/> × <paramref name="columns"/>, image i filled with the value i and labelled i % 10,
    /// and a SHA256SUMS.
    /// </summary>
    public static void WriteTinyIdx(string folder, string split, int count, int rows = 2, int columns = 3)
    {
        Directory.CreateDirectory(folder);
        var prefix = split == "train" ? "train" : "t10k";
        var images = new byte[16 + count * rows * columns];
        BinaryPrimitives.WriteInt32BigEndian(images, 2051);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), columns);
        for (int i = 0; i < count; i++) images.AsSpan(16 + i * rows * columns, rows * columns).Fill((byte)i);
        var labels = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(labels, 2049);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        for (int i = 0; i < count; i++) labels[8 + i] = (byte)(i % 10);
        File.WriteAllBytes(System.IO.Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), images);
        File.WriteAllBytes(System.IO.Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), labels);
        WriteSums(folder);
    }

    /// <summary>A small dataset of <paramref name="count"/> images 1×2×2 whose pixels all equal the image's index, labelled index % 3.</summary>
    public static ImageDataset Numbered(int count)
    {
        var pixels = new byte[count * 4];
        var labels = new byte[count];
        for (int i = 0; i < count; i++) { pixels.AsSpan(i * 4, 4).Fill((byte)i); labels[i] = (byte)(i % 3); }
        return new ImageDataset("numbered", pixels, labels, 1, 2, 2, ["a", "b", "c"]);
    }
}
