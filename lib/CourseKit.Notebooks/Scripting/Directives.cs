using System.Text.RegularExpressions;

namespace CourseKit.Notebooks;

/// <summary>A NuGet package a cell asks for with <c>#r "nuget: Name, Version"</c> (no version: the latest).</summary>
public sealed record PackageRequest(string Name, string? Version)
{
    /// <inheritdoc/>
    public override string ToString() => Version is null ? Name : $"{Name}, {Version}";
}

/// <summary>
/// The kernel directives of a C# cell, taken out of its code before Roslyn sees it: <c>#r "nuget: …"</c>,
/// <c>#i "nuget: source"</c> and <c>#!</c> magic commands. Plain <c>#r "path.dll"</c> stays in the code, where
/// Roslyn scripting resolves it. Removed lines become empty lines so line numbers in errors still match.
/// </summary>
public sealed partial record Directives(string Code, IReadOnlyList<PackageRequest> Packages, IReadOnlyList<string> Sources, bool Time)
{
    /// <summary>Splits <paramref name="cellCode"/> into directives and C# code.</summary>
    /// <exception cref="NotebookException">An unsupported magic command or a malformed directive; the message names the line.</exception>
    public static Directives Parse(string cellCode, string cellName, int firstLine = 1)
    {
        var lines = cellCode.Replace("\r\n", "\n").Split('\n');
        var packages = new List<PackageRequest>();
        var sources = new List<string>();
        bool time = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            string where = $"{cellName}, line {firstLine + i}";
            if (line.StartsWith("#!"))
            {
                string magic = line.Split(' ', 2)[0];
                if (magic == "#!time") time = true;
                else throw new NotebookException($"{where}: the magic command {magic} is not supported by CourseKit's engine (supported: #!time, and #!csharp / #!markdown as a cell's first line).");
                lines[i] = "";
            }
            else if (ReferenceDirective().Match(line) is { Success: true } reference && reference.Groups["target"].Value.TrimStart().StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
            {
                packages.Add(ParsePackage(reference.Groups["target"].Value, where));
                lines[i] = "";
            }
            else if (SourceDirective().Match(line) is { Success: true } source)
            {
                string value = source.Groups["target"].Value.Trim();
                if (!value.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
                    throw new NotebookException($"{where}: #i expects \"nuget: <package source>\", e.g. #i \"nuget: https://api.nuget.org/v3/index.json\" or a local folder.");
                sources.Add(value["nuget:".Length..].Trim());
                lines[i] = "";
            }
        }
        return new Directives(string.Join('\n', lines), packages, sources, time);
    }

    private static PackageRequest ParsePackage(string target, string where)
    {
        var parts = target.Trim()["nuget:".Length..].Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2 || parts[0].Length == 0 || parts[0].Any(char.IsWhiteSpace))
            throw new NotebookException($"{where}: expected #r \"nuget: PackageName, Version\" (the version may be left out), got #r \"{target}\".");
        return new PackageRequest(parts[0], parts.Length == 2 && parts[1].Length > 0 ? parts[1] : null);
    }

    [GeneratedRegex("""^#r\s+"(?<target>[^"]*)"\s*$""")]
    private static partial Regex ReferenceDirective();

    [GeneratedRegex("""^#i\s+"(?<target>[^"]*)"\s*$""")]
    private static partial Regex SourceDirective();
}
