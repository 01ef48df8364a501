using System.Text.RegularExpressions;

namespace CourseKit.Notebooks;

/// <summary>
/// Takes the kernel's directive lines (<c>#r</c>, <c>#i</c>, <c>#!</c>) out of a cell before Roslyn's workspace parses it:
/// a script accepts <c>#r</c> only above the first statement and knows no <c>#i</c> or magic commands. Each line becomes
/// spaces of the same length, so offsets in the cell stay offsets in the document.
/// </summary>
internal static partial class DirectiveLines
{
    /// <summary>The code with directive lines blanked; the targets of its <c>#r "…"</c> lines (packages included) in order.</summary>
    public static string Blank(string code, out IReadOnlyList<string> references)
    {
        var targets = new List<string>();
        string blanked = DirectiveLine().Replace(code, line =>
        {
            if (ReferenceTarget().Match(line.Value) is { Success: true } reference) targets.Add(reference.Groups["target"].Value);
            return new string(' ', line.Length);
        });
        references = targets;
        return blanked;
    }

    /// <summary><c>#r …</c>, <c>#i …</c> or <c>#!…</c> on a line of its own (not <c>#region</c> or <c>#if</c>).</summary>
    [GeneratedRegex("""^[ \t]*#(?:[ri](?=[ \t"])|!)[^\r\n]*""", RegexOptions.Multiline)]
    private static partial Regex DirectiveLine();

    [GeneratedRegex("""^[ \t]*#r[ \t]*"(?<target>[^"]*)"[ \t]*$""")]
    private static partial Regex ReferenceTarget();
}
