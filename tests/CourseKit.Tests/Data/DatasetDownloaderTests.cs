using System.Formats.Tar;
using System.IO.Compression;

namespace CourseKit.Tests.Data;

/// <summary>The downloader against a small HTTP server on 127.0.0.1 serving the sample files: no test touches the internet.</summary>
[Collection("Data")]
public sealed class DatasetDownloaderTests : IDisposable
{
    private const string Name = "train-images-idx3-ubyte.gz";
    private static readonly byte[] SampleImages = File.ReadAllBytes(Path.Combine(TestData.Samples, "mnist", Name));
    private static readonly FileChecksum SampleImagesChecksum =
        new("729d340c0177402770b27c04f817dfb40ed8844459b35a9f11ae21067b05cf19", OfDecompressedContent: true, "samples/SHA256SUMS");

    private readonly TinyHttpServer _server = new();
    private readonly TempFolder _temp = new();
    private readonly HttpClient _http = new();
    private readonly DatasetDownloader _downloader;
    private readonly string _destination;

    public DatasetDownloaderTests()
    {
        _server.Add(Name, SampleImages);
        _downloader = new DatasetDownloader(_http);
        _destination = _temp[Path.Combine("mnist", Name)];
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _temp.Dispose();
    }

    private Task Download(IProgress<(long done, long? total)>? progress = null) =>
        _downloader.DownloadFileAsync([_server.Url(Name)], _destination, SampleImagesChecksum, progress: progress);

    private void AssertNothingLeftBehind()
    {
        Assert.False(File.Exists(_destination));
        Assert.False(File.Exists(_destination + ".partial"));
    }

    [Fact]
    public async Task A_download_is_checked_and_only_then_appears_under_its_final_name()
    {
        var reports = new List<(long done, long? total)>();
        await Download(new SyncProgress(reports.Add));
        Assert.Equal(SampleImages, File.ReadAllBytes(_destination));
        Assert.False(File.Exists(_destination + ".partial"));
        Assert.Equal((SampleImages.Length, (long?)SampleImages.Length), reports[^1]);
        Assert.Equal((0L, (long?)SampleImages.Length), reports[0]);
        Assert.Equal([(Name, (string?)null)], _server.Requests);
    }

    [Fact]
    public async Task An_interrupted_download_resumes_from_the_partial_file_with_a_range_request()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_destination)!);
        File.WriteAllBytes(_destination + ".partial", SampleImages[..100_000]);
        var reports = new List<(long done, long? total)>();
        await Download(new SyncProgress(reports.Add));
        Assert.Equal([(Name, (string?)"bytes=100000-")], _server.Requests);
        Assert.Equal((100_000L, (long?)SampleImages.Length), reports[0]);
        Assert.Equal(SampleImages, File.ReadAllBytes(_destination));
    }

    [Fact]
    public async Task A_dropped_connection_keeps_the_bytes_so_far_and_the_next_attempt_resumes()
    {
        _server.Mode = Serve.DroppingHalfway;
        var error = await Assert.ThrowsAsync<IOException>(() => Download());
        Assert.Contains("the next attempt resumes from there", error.Message);
        Assert.False(File.Exists(_destination));
        long kept = new FileInfo(_destination + ".partial").Length;
        Assert.InRange(kept, 1, SampleImages.Length - 1);

        _server.Mode = Serve.Normally;
        await Download();
        Assert.Equal($"bytes={kept}-", _server.Requests[^1].Range);
        Assert.Equal(SampleImages, File.ReadAllBytes(_destination));
    }

    [Fact]
    public async Task A_corrupted_download_is_deleted_and_reported_with_both_hashes()
    {
        _server.Mode = Serve.Corrupted;
        var corrupted = (byte[])SampleImages.Clone();
        corrupted[corrupted.Length / 2] ^= 0xFF;
        var checksumOfFile = new FileChecksum(TestData.Sha256(SampleImages), OfDecompressedContent: false, "test");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            _downloader.DownloadFileAsync([_server.Url(Name)], _destination, checksumOfFile));
        Assert.Contains($"Could not download {Name}", error.Message);
        Assert.Contains($"expected SHA-256 {checksumOfFile.Sha256}, actual {TestData.Sha256(corrupted)}", error.Message);
        Assert.Contains("the next attempt starts afresh", error.Message);
        AssertNothingLeftBehind();

        _server.Mode = Serve.Normally;
        await _downloader.DownloadFileAsync([_server.Url(Name)], _destination, checksumOfFile);
        Assert.Equal(SampleImages, File.ReadAllBytes(_destination));
    }

    [Fact]
    public async Task A_truncated_download_is_deleted_and_the_next_attempt_starts_afresh()
    {
        _server.Mode = Serve.Truncated;
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Download());
        Assert.Contains(SampleImagesChecksum.Sha256, error.Message);
        Assert.Contains("truncated or corrupt", error.Message);
        Assert.Contains($"{SampleImages.Length / 2:N0} bytes received", error.Message);
        AssertNothingLeftBehind();

        _server.Mode = Serve.Normally;
        await Download();
        Assert.Null(_server.Requests[^1].Range);
        Assert.Equal(SampleImages, File.ReadAllBytes(_destination));
    }

    [Fact]
    public async Task A_resumed_download_that_fails_the_check_is_fetched_again_from_the_start()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_destination)!);
        File.WriteAllBytes(_destination + ".partial", new byte[5000]);     // not the start of this file
        await Download();
        Assert.Equal([(Name, (string?)"bytes=5000-"), (Name, (string?)null)], _server.Requests);
        Assert.Equal(SampleImages, File.ReadAllBytes(_destination));
    }

    [Fact]
    public async Task Mirrors_are_tried_in_order()
    {
        await _downloader.DownloadFileAsync([_server.Url("missing/" + Name), _server.Url(Name)], _destination, SampleImagesChecksum);
        Assert.Equal(["missing/" + Name, Name], _server.Requests.Select(r => r.Path));
        Assert.Equal(SampleImages, File.ReadAllBytes(_destination));
    }

    [Fact]
    public async Task Fetching_mnist_puts_it_where_the_loader_finds_it()
    {
        // Full MNIST from the repository, served as a mirror. Our .gz files are recompressed, so the official
        // MD5 of the .gz files does not apply; everything else is the official source.
        var official = DatasetDownloader.OfficialSources["mnist"];
        var files = official.Files.Select(f => f with { Md5 = null, Size = new FileInfo(Path.Combine(TestData.Datasets, "mnist", f.FileName)).Length }).ToArray();
        foreach (var f in files) _server.Add(f.FileName, File.ReadAllBytes(Path.Combine(TestData.Datasets, "mnist", f.FileName)));
        var downloader = new DatasetDownloader(_http, [_server.BaseUrl], new Dictionary<string, DatasetDownloader.Source> { ["mnist"] = official with { Files = files } });

        var reports = new List<(long done, long? total)>();
        var folder = await downloader.FetchAsync("mnist", _temp.Path, new SyncProgress(reports.Add));
        Assert.Equal(_temp["mnist"], folder);
        long total = files.Sum(f => f.Size!.Value);
        Assert.All(reports, r => Assert.Equal(total, r.total));
        Assert.Equal(total, reports[^1].done);

        int hashed = Checksums.FilesHashed;
        Assert.Equal(10000, Mnist.Load("test", dataDir: _temp.Path).Count);
        Assert.Equal(0, Checksums.FilesHashed - hashed);       // verified while downloading

        int requests = _server.Requests.Count;
        await downloader.FetchAsync("mnist", _temp.Path);
        Assert.Equal(requests, _server.Requests.Count);        // intact files are not fetched again
    }

    [Fact]
    public async Task Fetching_cifar10_unpacks_the_archive_with_a_SHA256SUMS_the_loader_checks()
    {
        var archive = new MemoryStream();
        using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
            foreach (var name in new[] { "batches.meta.txt", "data_batch_1.bin", "test_batch.bin" })
                tar.WriteEntry(Path.Combine(TestData.Samples, "cifar-10-batches-bin", name), "cifar-10-batches-bin/" + name);
        var bytes = archive.ToArray();
        _server.Add("cifar-10-binary.tar.gz", bytes);
        var official = DatasetDownloader.OfficialSources["cifar10"];
        var source = official with { Files = [official.Files[0] with { Checksum = new(TestData.Sha256(bytes), false, "test"), Md5 = null, Size = bytes.Length }] };
        var downloader = new DatasetDownloader(_http, [_server.BaseUrl], new Dictionary<string, DatasetDownloader.Source> { ["cifar10"] = source });

        var folder = await downloader.FetchAsync("cifar10", _temp.Path);
        Assert.Equal(_temp["cifar-10-batches-bin"], folder);
        Assert.Equal(["SHA256SUMS", "batches.meta.txt", "data_batch_1.bin", "test_batch.bin"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(_temp["cifar-10-binary.tar.gz"]));
        Assert.Contains("07de282dc9df713a84ed634b6f9295cd45f960619c8a4a3f5c65a85851d5bc24  test_batch.bin", File.ReadAllText(Path.Combine(folder, "SHA256SUMS")));
        Assert.Equal(2000, Cifar10.Load("train", dataDir: _temp.Path).Count);
    }

    [Fact]
    public async Task An_unknown_dataset_name_lists_the_known_ones()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _downloader.FetchAsync("imagenet", _temp.Path));
        Assert.Contains("choose one of mnist, fashion-mnist, cifar10", error.Message);
        Assert.Equal(["mnist", "fashion-mnist", "cifar10"], DatasetDownloader.Datasets);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
    private sealed class SyncProgress(Action<(long done, long? total)> report) : IProgress<(long done, long? total)>
    {
        public void Report((long done, long? total) value) => report(value);
    }
}
