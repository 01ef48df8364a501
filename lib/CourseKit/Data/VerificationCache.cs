using System.Text.Json;

namespace CourseKit;

/// <summary>
/// Remembers which data files have been verified, so that loading them again does not hash them again:
/// a small JSON file in the per-user cache (<see cref="DataDirectory.CacheRoot"/>) that maps each file
/// (how it was hashed + its full path) to its size, last-write time and verified SHA-256. A file whose size
/// or last-write time has changed since is hashed again. If the cache cannot be written (a read-only home
/// folder) files are simply hashed on every load.
/// </summary>
internal static class VerificationCache
{
    private sealed record Entry(long Length, long LastWriteTicks, string Sha256);

    private static readonly object Gate = new();

    /// <summary>The cache file.</summary>
    public static string FilePath => Path.Combine(DataDirectory.CacheRoot, "verified-files.json");

    /// <summary>True when <paramref name="file"/>, unchanged since, was verified to have the hash <paramref name="sha256"/>.</summary>
    public static bool IsVerified(string key, FileInfo file, string sha256)
    {
        lock (Gate)
            return Load().TryGetValue(key, out var entry)
                && entry.Length == file.Length && entry.LastWriteTicks == file.LastWriteTimeUtc.Ticks
                && string.Equals(entry.Sha256, sha256, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Records that <paramref name="file"/>, as it is now, has the hash <paramref name="sha256"/>.</summary>
    public static void Remember(string key, FileInfo file, string sha256)
    {
        lock (Gate)
        {
            var entries = Load();
            entries[key] = new Entry(file.Length, file.LastWriteTimeUtc.Ticks, sha256);
            try
            {
                Directory.CreateDirectory(DataDirectory.CacheRoot);
                var temporary = $"{FilePath}.{Environment.ProcessId}.partial";
                File.WriteAllText(temporary, JsonSerializer.Serialize(entries, new JsonSerializerOptions { WriteIndented = true }));
                File.Move(temporary, FilePath, overwrite: true);      // atomic: another process never reads half a file
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private static Dictionary<string, Entry> Load()
    {
        try
        {
            if (File.Exists(FilePath))
                return JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(FilePath)) ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { }
        return [];
    }
}
