using System.Text.RegularExpressions;

namespace CourseKit.Notebooks;

/// <summary>ANSI terminal escape codes (colors in tracebacks and console output), which a web page would show as junk.</summary>
internal static partial class Ansi
{
    /// <summary><paramref name="text"/> without escape sequences: CSI (<c>ESC[31m</c>), OSC (<c>ESC]…BEL</c>) and two-character ones.</summary>
    public static string Strip(string text) => EscapeSequence().Replace(text, "");

    [GeneratedRegex(@"\x1B(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(?:\x07|\x1B\\)|[@-Z\\-_])")]
    private static partial Regex EscapeSequence();
}
