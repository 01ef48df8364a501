namespace CourseKit.Tests.Data;

[Collection("Data")]
public sealed class ChecksumTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A copy of the CIFAR-10 test sample laid out like the repository's samples/ (SHA256SUMS one folder up).</summary>
    private string CopyCifarSample()
    {
        var folder = _temp["samples/cifar-10-batches-bin"];
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { "test_batch.bin", "batches.meta.txt" })
            File.Copy(Path.Combine(TestData.Samples, "cifar-10-batches-bin", name), Path.Combine(folder, name));
        File.Copy(Path.Combine(TestData.Samples, "SHA256SUMS"), _temp["samples/SHA256SUMS"]);
        return Path.Combine(folder, "test_batch.bin");
    }

    /// <summary>A copy of the MNIST training sample as a full-layout mnist/ folder, its SHA256SUMS listing the uncompressed hashes.</summary>
    private string CopyMnistSample()
    {
        var folder = _temp["mnist"];
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(TestData.Samples, "mnist"), "train-*"))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var lines = File.ReadAllLines(Path.Combine(TestData.Samples, "SHA256SUMS"))
            .Where(l => l.Contains("mnist/train-") && !l.EndsWith(".gz")).Select(l => l.Replace("mnist/", ""));
        File.WriteAllLines(Path.Combine(folder, "SHA256SUMS"), lines);
        return Path.Combine(folder, "train-images-idx3-ubyte.gz");
    }

    [Fact]
    public void A_corrupted_byte_gives_an_error_naming_the_file_and_both_hashes()
    {
        var path = CopyCifarSample();
        var bytes = File.ReadAllBytes(path);
        bytes[123_456] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Load("test", dataDir: _temp.Path, sample: true));
        Assert.Contains(path, error.Message);
        Assert.Contains("expected SHA-256: 07de282dc9df713a84ed634b6f9295cd45f960619c8a4a3f5c65a85851d5bc24", error.Message);
        Assert.Contains($"actual SHA-256:   {TestData.Sha256(bytes)}", error.Message);
        Assert.Contains("samples/SHA256SUMS", error.Message.Replace('\\', '/'));
    }

    [Fact]
    public void A_truncated_gz_file_gives_an_error_naming_the_file_and_both_hashes_and_what_to_do()
    {
        var path = CopyMnistSample();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => Mnist.Load("train", dataDir: _temp.Path));
        Assert.Contains(path, error.Message);
        Assert.Contains("of its decompressed content", error.Message);
        Assert.Contains("729d340c0177402770b27c04f817dfb40ed8844459b35a9f11ae21067b05cf19", error.Message);   // expected
        Assert.Contains(Checksums.Sha256(path, ofDecompressedContent: true), error.Message);                 // actual
        Assert.Contains("Delete it and run `coursekit data fetch mnist`, or point COURSEKIT_DATA at a good copy.", error.Message);
    }

    [Fact]
    public void A_truncated_cifar_batch_fails_its_checksum_before_its_length_is_looked_at()
    {
        var path = CopyCifarSample();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(10 * 3073 + 5)]);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Load("test", dataDir: _temp.Path, sample: true));
        Assert.Contains("truncated or corrupt", error.Message);
        Assert.Contains(TestData.Sha256(bytes[..(10 * 3073 + 5)]), error.Message);
    }

    [Fact]
    public void A_damaged_gzip_stream_is_reported_with_the_expected_hash_and_the_files_hash()
    {
        var path = CopyMnistSample();
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => Mnist.Load("train", dataDir: _temp.Path));
        Assert.Contains(path, error.Message);
        Assert.Contains("729d340c0177402770b27c04f817dfb40ed8844459b35a9f11ae21067b05cf19", error.Message);
        Assert.True(error.Message.Contains(TestData.Sha256(bytes)) || error.Message.Contains(Checksums.Sha256(path, true)), error.Message);
    }

    [Fact]
    public void The_verification_cache_skips_hashing_on_the_second_load_and_notices_a_changed_file()
    {
        using var cache = new TempFolder();
        using var _ = new EnvironmentScope().Set(DataDirectory.CacheEnvironmentVariable, cache.Path);
        var path = CopyCifarSample();

        int before = Checksums.FilesHashed;
        Cifar10.Load("test", dataDir: _temp.Path, sample: true);
        Assert.Equal(2, Checksums.FilesHashed - before);      // test_batch.bin and batches.meta.txt
        Assert.True(File.Exists(Path.Combine(cache.Path, "verified-files.json")));

        before = Checksums.FilesHashed;
        Cifar10.Load("test", dataDir: _temp.Path, sample: true);
        Assert.Equal(0, Checksums.FilesHashed - before);

        var bytes = File.ReadAllBytes(path);
        bytes[1000] ^= 0x01;
        File.WriteAllBytes(path, bytes);                      // same size, new content and last-write time
        before = Checksums.FilesHashed;
        Assert.Throws<InvalidDataException>(() => Cifar10.Load("test", dataDir: _temp.Path, sample: true));
        Assert.Equal(1, Checksums.FilesHashed - before);
    }

    [Fact]
    public void A_file_with_no_known_checksum_is_refused_with_what_to_do()
    {
        var folder = _temp["cifar-10-batches-bin"];
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(TestData.Samples, "cifar-10-batches-bin", "test_batch.bin"), Path.Combine(folder, "test_batch.bin"));

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Load("test", dataDir: _temp.Path));
        Assert.Contains($"No SHA-256 is known for {Path.Combine(folder, "test_batch.bin")}", error.Message);
        Assert.Contains("coursekit data fetch cifar10", error.Message);
    }

    [Fact]
    public void A_shipped_file_that_is_damaged_is_restored_from_git()
    {
        var advice = Checksums.Advice(Path.Combine(TestData.Datasets, "mnist", "train-images-idx3-ubyte.gz"), "mnist");
        Assert.Equal("It ships with the repository: restore it with `git checkout -- datasets/mnist/train-images-idx3-ubyte.gz`.", advice);
    }

    [Fact]
    public void SHA256SUMS_is_read_in_sha256sum_format()
    {
        var list = _temp["SHA256SUMS"];
        var a = new string('a', 64);
        var b = new string('B', 64);
        File.WriteAllText(list, $"# comment\r\n{a}  one.bin\r\n\r\n{b} *sub/two.gz\r\n");
        var entries = Sha256Sums.Read(list);
        Assert.Equal(2, entries.Count);
        Assert.Equal(a, entries["one.bin"]);
        Assert.Equal(b.ToLowerInvariant(), entries["sub/two.gz"]);

        File.WriteAllText(list, $"{a}  ok\nnot a checksum line\n");
        var error = Assert.Throws<InvalidDataException>(() => Sha256Sums.Read(list));
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void The_uncompressed_entry_of_SHA256SUMS_is_preferred_for_a_gz_file()
    {
        var gz = Path.Combine(TestData.Datasets, "mnist", "t10k-labels-idx1-ubyte.gz");
        var expected = Checksums.Expected(gz, Mnist.OfficialSha256, "official")!;
        Assert.True(expected.OfDecompressedContent);
        Assert.Equal("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", expected.Sha256);
        Assert.Contains("SHA256SUMS, entry 't10k-labels-idx1-ubyte'", expected.Source);
        Assert.Equal(expected.Sha256, Checksums.Sha256(gz, ofDecompressedContent: true));
    }
}
