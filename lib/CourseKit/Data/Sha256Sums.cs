namespace CourseKit;

/// <summary>
/// Reads and writes checksum lists in the format of <c>sha256sum</c>: one <c>&lt;64 hex digits&gt;  &lt;name&gt;</c>
/// per line (a <c>*</c> before the name marks binary mode; blank lines and lines starting with <c>#</c> are skipped).
/// Names may have folders, written with <c>/</c>.
/// </summary>
internal static class Sha256Sums
{
    /// <summary>The conventional file name.</summary>
    public const string FileName = "SHA256SUMS";

    /// <summary>The entries of a checksum list: name → hash (lower case).</summary>
    /// <exception cref="InvalidDataException">A line is not in <c>sha256sum</c> format.</exception>
    public static Dictionary<string, string> Read(string path)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int space = line.IndexOf(' ');
            var hash = space < 0 ? line : line[..space];
            var name = space < 0 ? "" : line[(space + 1)..].TrimStart(' ', '*');
            if (hash.Length != 64 || !hash.All(Uri.IsHexDigit) || name.Length == 0)
                throw new InvalidDataException($"{path}, line {lineNumber}: expected \"<64 hex digits>  <file name>\" (sha256sum format), got \"{raw}\".");
            entries[name.Replace('\\', '/')] = hash.ToLowerInvariant();
        }
        return entries;
    }

    /// <summary>Writes a checksum list (sorted by name, Unix line endings), replacing the file atomically.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, string>> entries)
    {
        var text = string.Concat(entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Value}  {e.Key}\n"));
        var temporary = path + ".partial";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
