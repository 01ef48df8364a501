using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace CourseKit;

/// <summary>
/// Downloads the datasets that do not ship with the repository (what <c>coursekit data fetch</c> runs) from
/// their official locations into a data root, by default the per-user cache (<see cref="DataDirectory.UserCache"/>).
/// Nothing else in CourseKit uses the network.
/// <list type="bullet">
/// <item>Each file is written as <c>name.partial</c>; an interrupted download resumes from there with an HTTP
/// range request.</item>
/// <item>The finished file is checked against the official SHA-256 (and the official MD5 where that is what the
/// dataset's authors publish) and only then renamed to its final name, so a failed or damaged download never
/// leaves a file under the final name. A download that fails the check is deleted, so the next attempt starts
/// afresh.</item>
/// <item>Mirrors are tried in order.</item>
/// </list>
/// </summary>
/// <example><code>
/// var folder = await new DatasetDownloader().FetchAsync("cifar10", progress: new Progress&lt;(long done, long? total)&gt;(p => …));
/// </code></example>
public sealed class DatasetDownloader
{
    /// <summary>One file of a dataset as published: its name, its checksum, its official MD5 if any, and its size in bytes if known.</summary>
    internal sealed record Download(string FileName, FileChecksum Checksum, string? Md5, long? Size);

    /// <summary>Where a dataset comes from: base URLs tried in order, and its files. An archive is unpacked into <paramref name="Folder"/>.</summary>
    internal sealed record Source(string Name, string Folder, string[] Mirrors, Download[] Files, bool IsArchive);

    /// <summary>The datasets <see cref="FetchAsync"/> knows, by name.</summary>
    internal static IReadOnlyDictionary<string, Source> OfficialSources { get; } = new Dictionary<string, Source>
    {
        // yann.lecun.com is often unreachable; torchvision uses the same official files from its S3 mirror first.
        // The MNIST MD5s are the official .gz files'; the SHA-256 are of their decompressed content.
        ["mnist"] = new("mnist", "mnist",
            ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"],
            [
                OfficialGz(Mnist.OfficialSha256, "train-images-idx3-ubyte.gz", true, "f68b3c2dcbeaaa9fbdd348bbdeb94873", 9_912_422),
                OfficialGz(Mnist.OfficialSha256, "train-labels-idx1-ubyte.gz", true, "d53e105ee54ea40749a09fcbcd1e9432", 28_881),
                OfficialGz(Mnist.OfficialSha256, "t10k-images-idx3-ubyte.gz", true, "9fb629c4189551a2d022fa330f9573f3", 1_648_877),
                OfficialGz(Mnist.OfficialSha256, "t10k-labels-idx1-ubyte.gz", true, "ec29112dd5afa0611ce80d1b7f02629c", 4_542),
            ], IsArchive: false),
        // Zalando Research publishes the MD5s of the .gz files; the SHA-256 are of the same files.
        ["fashion-mnist"] = new("fashion-mnist", "fashion-mnist",
            ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
            [
                OfficialGz(FashionMnist.OfficialSha256, "train-images-idx3-ubyte.gz", false, "8d4fb7e6c68d591d4c3dfef9ec88bf0d", 26_421_880),
                OfficialGz(FashionMnist.OfficialSha256, "train-labels-idx1-ubyte.gz", false, "25c81989df183df01b3e8a0aad5dffbe", 29_515),
                OfficialGz(FashionMnist.OfficialSha256, "t10k-images-idx3-ubyte.gz", false, "bef4ecab320f06d8554ea6380940ec79", 4_422_102),
                OfficialGz(FashionMnist.OfficialSha256, "t10k-labels-idx1-ubyte.gz", false, "bb300cfdad3c16e7a12a480ee83cd310", 5_148),
            ], IsArchive: false),
        // The CIFAR page publishes only the archive's MD5, so that is checked as well as the SHA-256.
        ["cifar10"] = new("cifar10", Cifar10.FolderName,
            ["https://www.cs.toronto.edu/~kriz/"],
            [
                new(Cifar10.ArchiveName, new FileChecksum(Cifar10.OfficialSha256[Cifar10.ArchiveName], false, "the official CIFAR-10 hashes"),
                    "c32a1d4ab5d03f1284b67883e8d87530", 170_052_171),
            ], IsArchive: true),
    };

    private static Download OfficialGz(IReadOnlyDictionary<string, string> sha256, string gzName, bool ofContent, string md5, long size) =>
        new(gzName, new FileChecksum(sha256[ofContent ? gzName[..^3] : gzName], ofContent, "the official hashes"), md5, size);

    private static readonly Lazy<HttpClient> SharedHttp = new(() =>
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("CourseKit", "1.0"));
        return http;
    });

    private readonly HttpClient _http;
    private readonly IReadOnlyList<string>? _baseUrls;
    private readonly IReadOnlyDictionary<string, Source> _sources;

    /// <summary>Creates a downloader.</summary>
    /// <param name="http">The HTTP client to use; null for a shared default one.</param>
    /// <param name="baseUrls">Base URLs to use instead of the official mirrors (a local mirror, or a test server); each file is fetched from base URL + file name.</param>
    public DatasetDownloader(HttpClient? http = null, IReadOnlyList<string>? baseUrls = null)
        : this(http, baseUrls, OfficialSources) { }

    /// <summary>Creates a downloader with other dataset sources (tests).</summary>
    internal DatasetDownloader(HttpClient? http, IReadOnlyList<string>? baseUrls, IReadOnlyDictionary<string, Source> sources)
    {
        _http = http ?? SharedHttp.Value;
        _baseUrls = baseUrls;
        _sources = sources;
    }

    /// <summary>The names <see cref="FetchAsync"/> accepts: <c>mnist</c>, <c>fashion-mnist</c>, <c>cifar10</c>.</summary>
    public static IReadOnlyList<string> Datasets { get; } = [.. OfficialSources.Keys];

    /// <summary>
    /// Downloads a dataset into <paramref name="dataRoot"/> (files already there and intact are kept) and
    /// returns its folder. MNIST and Fashion-MNIST stay as the official <c>.gz</c> files; CIFAR-10's archive is
    /// unpacked into <c>cifar-10-batches-bin/</c> with a <c>SHA256SUMS</c> of the unpacked files, then deleted.
    /// </summary>
    /// <param name="dataset"><c>mnist</c>, <c>fashion-mnist</c> or <c>cifar10</c>.</param>
    /// <param name="dataRoot">The data root to download into; null for the per-user cache.</param>
    /// <param name="progress">Told the bytes done so far and the total (null while unknown) over all of the dataset's files.</param>
    /// <param name="cancellationToken">Stops the download; what has arrived stays in the <c>.partial</c> file for the next attempt.</param>
    /// <exception cref="ArgumentException">The dataset name is not one of <see cref="Datasets"/>.</exception>
    /// <exception cref="InvalidDataException">A download does not match its checksum on any mirror.</exception>
    /// <exception cref="IOException">No mirror could be reached.</exception>
    public async Task<string> FetchAsync(string dataset, string? dataRoot = null,
                                         IProgress<(long done, long? total)>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!_sources.TryGetValue(dataset, out var source))
            throw new ArgumentException($"Unknown dataset \"{dataset}\": choose one of {string.Join(", ", _sources.Keys)}.", nameof(dataset));
        var root = Path.GetFullPath(dataRoot ?? DataDirectory.UserCache);
        var folder = Path.Combine(root, source.Folder);
        if (source.IsArchive && IsUnpacked(folder, dataset)) return folder;

        var totals = new DatasetProgress(progress, source.Files.Select(f => f.Size).ToArray());
        for (int i = 0; i < source.Files.Length; i++)
        {
            var file = source.Files[i];
            var destination = Path.Combine(source.IsArchive ? root : folder, file.FileName);
            if (!IsIntact(destination, file.Checksum))
            {
                var urls = (_baseUrls ?? source.Mirrors).Select(b => b.TrimEnd('/') + "/" + file.FileName).ToList();
                await DownloadFileAsync(urls, destination, file.Checksum, file.Md5, totals.ForFile(i), cancellationToken);
            }
            totals.Completed(i, new FileInfo(destination).Length);
        }
        if (source.IsArchive)
        {
            var archive = Path.Combine(root, source.Files[0].FileName);
            Unpack(archive, folder);
            File.Delete(archive);
        }
        return folder;
    }

    /// <summary>
    /// Downloads one file from the first of <paramref name="urls"/> that works, resuming from
    /// <c>destination.partial</c> if an earlier attempt left one, checks it, and only then renames it to
    /// <paramref name="destination"/>. A resumed download that fails the check is retried once from the start.
    /// </summary>
    /// <param name="urls">Where the file can be had, tried in order.</param>
    /// <param name="destination">The final path.</param>
    /// <param name="checksum">The SHA-256 it must have (of the decompressed content, for a <c>.gz</c> whose checksum says so).</param>
    /// <param name="md5">The MD5 it must also have, for files whose authors publish only an MD5; null for none.</param>
    /// <param name="progress">Told the bytes of this file done so far and its size (null while unknown).</param>
    /// <param name="cancellationToken">Stops the download, keeping the <c>.partial</c> file.</param>
    /// <exception cref="InvalidDataException">The download did not match; the message names the file and the expected and actual hashes.</exception>
    /// <exception cref="IOException">No URL could be downloaded from.</exception>
    public async Task DownloadFileAsync(IReadOnlyList<string> urls, string destination, FileChecksum checksum, string? md5 = null,
                                        IProgress<(long done, long? total)>? progress = null, CancellationToken cancellationToken = default)
    {
        destination = Path.GetFullPath(destination);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var partial = destination + ".partial";
        var failures = new List<string>();
        bool damaged = false;
        foreach (var url in urls)
        {
            for (int attempt = 0; attempt < 2; attempt++)
            {
                bool resumed;
                try { resumed = await DownloadToPartialAsync(url, partial, progress, cancellationToken); }
                catch (Exception e) when (e is HttpRequestException or IOException
                                          || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))   // a time-out
                {
                    failures.Add($"{url}: {e.Message}");
                    break;                                    // try the next mirror; the bytes so far stay in .partial
                }
                var problem = Problem(partial, checksum, md5);
                if (problem is null)
                {
                    File.Move(partial, destination, overwrite: true);
                    Checksums.MarkVerified(destination, checksum);
                    return;
                }
                File.Delete(partial);
                damaged = true;
                failures.Add($"{url}{(resumed ? " (resumed)" : "")}: {problem}");
                if (!resumed) break;                          // a fresh download was bad: try the next mirror
            }
        }
        var report = $"Could not download {Path.GetFileName(destination)}:{Environment.NewLine}" +
                     string.Concat(failures.Select(f => $"  {f}{Environment.NewLine}"));
        if (damaged)
            throw new InvalidDataException(report + $"Nothing was written to {destination}; the damaged download was deleted, so the next attempt starts afresh.");
        throw new IOException(report + (File.Exists(partial)
            ? $"The bytes received so far are kept in {partial}; the next attempt resumes from there."
            : "Check the network connection and try again."));
    }

    /// <summary>Downloads <paramref name="url"/> into <paramref name="partial"/>, continuing what is there if the server allows; true if it resumed.</summary>
    private async Task<bool> DownloadToPartialAsync(string url, string partial, IProgress<(long done, long? total)>? progress, CancellationToken cancellationToken)
    {
        long existing = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (existing > 0) request.Headers.Range = new RangeHeaderValue(existing, null);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (existing > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            return true;                                      // nothing more to fetch: the checksum decides whether .partial is whole
        response.EnsureSuccessStatusCode();

        bool resume = existing > 0 && response.StatusCode == HttpStatusCode.PartialContent
                      && response.Content.Headers.ContentRange?.From == existing;
        long done = resume ? existing : 0;                    // a server that ignores the range sends the whole file again
        long? total = response.Content.Headers.ContentLength is long length ? done + length : null;
        progress?.Report((done, total));

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var file = new FileStream(partial, resume ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            done += read;
            progress?.Report((done, total));
        }
        return resume;
    }

    /// <summary>What is wrong with a downloaded file (naming the expected and actual hashes), or null if it matches.</summary>
    private static string? Problem(string path, FileChecksum checksum, string? md5)
    {
        var of = checksum.OfDecompressedContent ? " of the decompressed content" : "";
        string actual;
        try { actual = Checksums.Sha256(path, checksum.OfDecompressedContent); }
        catch (InvalidDataException e)
        {
            return $"the gzip data is damaged ({e.Message}); expected SHA-256{of} {checksum.Sha256}, actual SHA-256 of the bytes received {Checksums.Sha256(path)}";
        }
        if (!string.Equals(actual, checksum.Sha256, StringComparison.OrdinalIgnoreCase))
            return $"expected SHA-256{of} {checksum.Sha256}, actual {actual} ({new FileInfo(path).Length:N0} bytes received): the download is truncated or corrupt";
        if (md5 is null) return null;
        string actualMd5;
        using (var file = File.OpenRead(path)) actualMd5 = Convert.ToHexString(MD5.HashData(file)).ToLowerInvariant();
        return string.Equals(actualMd5, md5, StringComparison.OrdinalIgnoreCase) ? null : $"expected MD5 {md5}, actual {actualMd5}: the download is corrupt";
    }

    /// <summary>True when <paramref name="path"/> exists and matches <paramref name="checksum"/>.</summary>
    private static bool IsIntact(string path, FileChecksum checksum)
    {
        if (!File.Exists(path)) return false;
        try { Checksums.Verify(path, checksum, ""); return true; }
        catch (InvalidDataException) { return false; }
    }

    /// <summary>True when <paramref name="folder"/> holds the unpacked CIFAR-10 batches and each matches its <c>SHA256SUMS</c>.</summary>
    private static bool IsUnpacked(string folder, string fetchName)
    {
        string[] batches = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"];
        if (!File.Exists(Path.Combine(folder, Sha256Sums.FileName))) return false;
        try
        {
            foreach (var batch in batches)
            {
                var path = Path.Combine(folder, batch);
                if (!File.Exists(path)) return false;
                Checksums.VerifyDataFile(path, Cifar10.OfficialSha256, "the official CIFAR-10 hashes", fetchName);
            }
            return true;
        }
        catch (InvalidDataException) { return false; }
    }

    /// <summary>
    /// Unpacks the regular files of a (verified) <c>.tar.gz</c> into <paramref name="folder"/>, with a
    /// <c>SHA256SUMS</c> of them, by way of <c>folder.partial</c> so that <paramref name="folder"/> appears only when complete.
    /// </summary>
    private static void Unpack(string archive, string folder)
    {
        var temporary = folder + ".partial";
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        Directory.CreateDirectory(temporary);
        var sums = new Dictionary<string, string>();
        using (var file = File.OpenRead(archive))
        using (var tar = new TarReader(new GZipStream(file, CompressionMode.Decompress)))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                var name = Path.GetFileName(entry.Name);      // the file name only: nothing is written outside the folder
                if (entry.DataStream is null || name.Length == 0 || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                using var sha = SHA256.Create();
                using (var output = File.Create(Path.Combine(temporary, name)))
                using (var hashing = new CryptoStream(output, sha, CryptoStreamMode.Write))
                    entry.DataStream.CopyTo(hashing);
                sums[name] = Convert.ToHexString(sha.Hash!).ToLowerInvariant();
            }
        }
        Sha256Sums.Write(Path.Combine(temporary, Sha256Sums.FileName), sums);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(temporary, folder);
        var source = $"{Path.Combine(folder, Sha256Sums.FileName)} (written when unpacking {Path.GetFileName(archive)})";
        foreach (var (name, hash) in sums) Checksums.MarkVerified(Path.Combine(folder, name), new FileChecksum(hash, false, source));
    }

    /// <summary>Turns each file's progress into progress over the whole dataset.</summary>
    private sealed class DatasetProgress(IProgress<(long done, long? total)>? progress, long?[] sizes)
    {
        private readonly long?[] _sizes = (long?[])sizes.Clone();   // the official sizes, replaced by the real ones as they become known
        private long _completed;                                    // bytes of the files already finished

        /// <summary>The progress of file <paramref name="index"/>, reported as progress over all files.</summary>
        public IProgress<(long done, long? total)>? ForFile(int index) => progress is null ? null : new Relay(p =>
        {
            if (p.total is long total) _sizes[index] = total;
            progress.Report((_completed + p.done, Total()));
        });

        /// <summary>File <paramref name="index"/> is finished and has <paramref name="length"/> bytes.</summary>
        public void Completed(int index, long length)
        {
            _sizes[index] = length;
            _completed += length;
            progress?.Report((_completed, Total()));
        }

        private long? Total() => _sizes.Any(s => s is null) ? null : _sizes.Sum(s => s!.Value);

        private sealed class Relay(Action<(long done, long? total)> report) : IProgress<(long done, long? total)>
        {
            public void Report((long done, long? total) value) => report(value);
        }
    }
}
