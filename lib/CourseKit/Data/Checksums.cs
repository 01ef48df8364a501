using System.IO.Compression;
using System.Security.Cryptography;

namespace CourseKit;

/// <summary>
/// Verifies data files against their SHA-256 before they are read, so a truncated download or a flipped
/// bit gives a clear error instead of silently wrong pixels. The expected hash comes from a
/// <c>SHA256SUMS</c> file beside the data (or in the folder above it, with names relative to that
/// folder), else from CourseKit's table of the official hashes. For a <c>.gz</c> file the hash of the
/// decompressed content is preferred (the list names the file without <c>.gz</c>). A verified file is
/// remembered in the per-user cache and not hashed again until its size or last-write time changes.
/// </summary>
public static class Checksums
{
    /// <summary>How many times a file has actually been hashed in this process (the cache avoids it).</summary>
    internal static int FilesHashed;

    /// <summary>The SHA-256 of a file's bytes, or of the decompressed content of a <c>.gz</c> file, as lower-case hex.</summary>
    /// <exception cref="InvalidDataException">The gzip data cannot be decompressed.</exception>
    public static string Sha256(string path, bool ofDecompressedContent = false)
    {
        Interlocked.Increment(ref FilesHashed);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var content = ofDecompressedContent ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        return Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();
    }

    /// <summary>
    /// Checks that <paramref name="path"/> has the <paramref name="expected"/> hash, hashing it only if the
    /// per-user cache has no record of it as it is now.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="expected">The hash it must have.</param>
    /// <param name="advice">What to do if it does not (ends the error message).</param>
    /// <exception cref="InvalidDataException">The hash differs, or the gzip data is damaged; the message names the file and both hashes.</exception>
    public static void Verify(string path, FileChecksum expected, string advice)
    {
        var file = new FileInfo(path);
        var key = CacheKey(file, expected);
        if (VerificationCache.IsVerified(key, file, expected.Sha256)) return;

        var of = expected.OfDecompressedContent ? " of its decompressed content" : "";
        string actual;
        try { actual = Sha256(path, expected.OfDecompressedContent); }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"{path} is damaged: its gzip data cannot be decompressed ({e.Message}){Environment.NewLine}" +
                $"  expected SHA-256{of}: {expected.Sha256}  (from {expected.Source}){Environment.NewLine}" +
                $"  actual: unreadable; SHA-256 of the file's bytes: {Sha256(path)}{Environment.NewLine}{advice}", e);
        }
        if (!string.Equals(actual, expected.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException(
                $"{path} is truncated or corrupt: the SHA-256{of} does not match.{Environment.NewLine}" +
                $"  expected SHA-256: {expected.Sha256}  (from {expected.Source}){Environment.NewLine}" +
                $"  actual SHA-256:   {actual}  (file size {file.Length:N0} bytes){Environment.NewLine}{advice}");
        VerificationCache.Remember(key, file, actual);
    }

    /// <summary>Records that <paramref name="path"/>, as it is now, has been checked to match <paramref name="checksum"/> (after a download).</summary>
    internal static void MarkVerified(string path, FileChecksum checksum)
    {
        var file = new FileInfo(path);
        VerificationCache.Remember(CacheKey(file, checksum), file, checksum.Sha256);
    }

    /// <summary>The verification cache's key: how the file is hashed, and its full path.</summary>
    private static string CacheKey(FileInfo file, FileChecksum checksum) =>
        (checksum.OfDecompressedContent ? "content " : "file ") + file.FullName;

    /// <summary>
    /// The hash <paramref name="path"/> must have: from <c>SHA256SUMS</c> in its folder, then in the folder
    /// above, then from <paramref name="official"/> (file name → hash); null when none lists it. For
    /// <c>name.gz</c> each place is asked first for <c>name</c> (decompressed content), then for <c>name.gz</c>.
    /// </summary>
    internal static FileChecksum? Expected(string path, IReadOnlyDictionary<string, string> official, string officialSource)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        string[] candidates = name.EndsWith(".gz", StringComparison.Ordinal) ? [name[..^3], name] : [name];
        bool IsContent(string candidate) => candidate != name;

        var parent = Path.GetDirectoryName(folder);
        var lists = new List<(string List, string Prefix)> { (Path.Combine(folder, Sha256Sums.FileName), "") };
        if (parent is not null) lists.Add((Path.Combine(parent, Sha256Sums.FileName), Path.GetFileName(folder) + "/"));
        foreach (var (list, prefix) in lists)
        {
            if (!File.Exists(list)) continue;
            var entries = Sha256Sums.Read(list);
            foreach (var candidate in candidates)
                if (entries.TryGetValue(prefix + candidate, out var hash))
                    return new FileChecksum(hash, IsContent(candidate), $"{list}, entry '{prefix + candidate}'");
        }
        foreach (var candidate in candidates)
            if (official.TryGetValue(candidate, out var hash))
                return new FileChecksum(hash, IsContent(candidate), officialSource);
        return null;
    }

    /// <summary>
    /// Verifies a dataset file against <see cref="Expected"/>; a file with no known hash is refused.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="official">The official hashes of this dataset's files (file name → SHA-256).</param>
    /// <param name="officialSource">Their description, for error messages.</param>
    /// <param name="fetchName">The dataset's name for <c>coursekit data fetch</c>, or null for the samples.</param>
    /// <exception cref="InvalidDataException">The file does not match, or no hash is known for it.</exception>
    internal static void VerifyDataFile(string path, IReadOnlyDictionary<string, string> official, string officialSource, string? fetchName)
    {
        var expected = Expected(path, official, officialSource)
            ?? throw new InvalidDataException(
                $"No SHA-256 is known for {path}: no {Sha256Sums.FileName} beside it (or in the folder above) lists it, " +
                $"and it is not one of the official files CourseKit knows. " +
                (fetchName is null ? "" : $"Run `coursekit data fetch {fetchName}` (it verifies the download and records the hashes), or ") +
                $"add a line \"<sha256>  {Path.GetFileName(path)}\" to a {Sha256Sums.FileName} file beside it.");
        Verify(path, expected, Advice(path, fetchName));
    }

    /// <summary>What to do about a bad file: restore it from git if it ships with the repository, else fetch it again.</summary>
    internal static string Advice(string path, string? fetchName)
    {
        var repo = DataDirectory.RepositoryRoot;
        var full = Path.GetFullPath(path);
        if (repo is not null && full.StartsWith(Path.Combine(repo, "datasets") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return $"It ships with the repository: restore it with `git checkout -- {Path.GetRelativePath(repo, full).Replace('\\', '/')}`.";
        return fetchName is null
            ? $"Point {DataDirectory.EnvironmentVariable} at a good copy."
            : $"Delete it and run `coursekit data fetch {fetchName}`, or point {DataDirectory.EnvironmentVariable} at a good copy.";
    }
}
