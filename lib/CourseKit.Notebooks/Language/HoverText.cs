using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.QuickInfo;

namespace CourseKit.Notebooks;

/// <summary>Turns Roslyn's quick info (the hover of an editor) into Jupyter's inspect reply: plain text and Markdown.</summary>
internal static class HoverText
{
    /// <summary>
    /// The signature, then the documentation summary; with <paramref name="detailLevel"/> ≥ 1 every other section
    /// Roslyn has too (type parameters, returns, remarks, exceptions, captured variables).
    /// </summary>
    public static InspectResult From(QuickInfoItem item, int detailLevel)
    {
        var sections = item.Sections.Where(s => detailLevel > 0 || s.Kind is QuickInfoSectionKinds.Description or QuickInfoSectionKinds.DocumentationComments)
                                    .Where(s => !string.IsNullOrWhiteSpace(s.Text)).ToList();
        if (sections.Count == 0) return InspectResult.NotFound;

        string plain = string.Join("\n\n", sections.Select(s => s.Text.Trim()));
        string markdown = string.Join("\n\n", sections.Select(s =>
            s.Kind == QuickInfoSectionKinds.Description ? $"```csharp\n{s.Text.Trim()}\n```" : Markdown(s.TaggedParts).Trim()));
        return new InspectResult(true, plain, markdown);
    }

    /// <summary>Documentation text as Markdown: the symbols <c>&lt;see cref&gt;</c> names become code spans.</summary>
    private static string Markdown(IEnumerable<TaggedText> parts)
    {
        var markdown = new StringBuilder();
        foreach (var (text, isSymbol) in Runs(parts)) markdown.Append(isSymbol ? CodeSpan(text) : Escape(text));
        return markdown.ToString();
    }

    /// <summary><c>`BatchNormBase`</c>, with the spaces around the symbol kept outside the backticks.</summary>
    private static string CodeSpan(string text)
    {
        string symbol = text.Trim();
        if (symbol.Length == 0) return text;
        int leading = text.Length - text.TrimStart().Length;
        return $"{text[..leading]}`{symbol}`{text[(leading + symbol.Length)..]}";
    }

    /// <summary>The parts joined into runs of prose and runs of symbol display (<c>Tensor.Zeros(params int[])</c> is one run).</summary>
    private static IEnumerable<(string Text, bool IsSymbol)> Runs(IEnumerable<TaggedText> parts)
    {
        var text = new StringBuilder();
        bool symbol = false;
        foreach (var part in parts)
        {
            bool partSymbol = part.Tag is not (TextTags.Text or TextTags.LineBreak);
            if (partSymbol != symbol && text.Length > 0) { yield return (text.ToString(), symbol); text.Clear(); }
            symbol = partSymbol;
            text.Append(part.Tag == TextTags.LineBreak ? "\n" : part.Text);
        }
        if (text.Length > 0) yield return (text.ToString(), symbol);
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '#') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
