namespace CourseKit.Notebooks;

/// <summary>
/// Converts between Jupyter's cursor offsets, which count Unicode code points (protocol 5.3+), and .NET string
/// indices, which count UTF-16 units: the two differ after a character outside the Basic Multilingual Plane (an emoji).
/// </summary>
internal static class CodePoints
{
    /// <summary>The string index of the <paramref name="codePoints"/>-th code point (clamped to the text).</summary>
    public static int ToUtf16(string text, int codePoints)
    {
        int index = 0;
        for (int counted = 0; index < text.Length && counted < codePoints; counted++)
            index += IsPair(text, index) ? 2 : 1;
        return index;
    }

    /// <summary>How many code points the first <paramref name="utf16"/> units of the text hold.</summary>
    public static int FromUtf16(string text, int utf16)
    {
        int counted = 0;
        for (int index = 0; index < utf16 && index < text.Length; counted++)
            index += IsPair(text, index) ? 2 : 1;
        return counted;
    }

    private static bool IsPair(string text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]);
}
