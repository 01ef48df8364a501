using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>
/// nbformat's "multiline strings": a cell's source, a stream's text and text outputs may be stored as one
/// string or as a list of lines that each keep their <c>\n</c>. In memory they are one string; files get lines.
/// </summary>
internal static class MultilineText
{
    /// <summary>Replaces a list of lines stored under <paramref name="key"/> with the one string they make.</summary>
    /// <exception cref="InvalidDataException">The value is neither a string nor a list of strings.</exception>
    public static void Join(JsonObject owner, string key)
    {
        switch (owner[key])
        {
            case JsonArray lines:
                if (lines.Any(line => !JsonAccess.IsString(line, out _)))
                    throw new InvalidDataException($"\"{key}\" must be a string or a list of strings");
                owner[key] = string.Concat(lines.Select(line => line!.GetValue<string>()));
                break;
            case var text when JsonAccess.IsString(text, out _):
                break;
            case var other:
                throw new InvalidDataException($"\"{key}\" must be a string or a list of strings, not {other?.GetValueKind().ToString() ?? "null"}");
        }
    }

    /// <summary>Splits <paramref name="text"/> after each <c>\n</c>, as VS Code does: <c>"a\nb\n"</c> → <c>["a\n", "b\n"]</c>.</summary>
    public static List<string> Split(string text)
    {
        var lines = new List<string>();
        int start = 0;
        for (int end = text.IndexOf('\n'); end >= 0; end = text.IndexOf('\n', start))
        {
            lines.Add(text[start..(end + 1)]);
            start = end + 1;
        }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }
}
