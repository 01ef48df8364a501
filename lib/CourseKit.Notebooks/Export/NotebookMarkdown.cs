using System.Text.Json.Nodes;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CourseKit.Notebooks;

/// <summary>
/// Markdown cells as HTML, with Markdig's advanced extensions (pipe tables, task lists, footnotes, …) and math:
/// <c>$…$</c> and <c>$$…$$</c> stay readable LaTeX in <c>span.math</c> / <c>div.math</c>, since no math renderer
/// is available offline. Images may point at the cell's attachments (<c>attachment:edge.png</c>).
/// </summary>
internal static class NotebookMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>The HTML of <paramref name="markdown"/>; <c>attachment:</c> links become data URIs from <paramref name="attachments"/>.</summary>
    public static string ToHtml(string markdown, JsonObject? attachments = null)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
            if (link.Url is { } url && url.StartsWith("attachment:", StringComparison.Ordinal) && DataUri(attachments, url["attachment:".Length..]) is { } data)
                link.Url = data;
        return document.ToHtml(Pipeline);
    }

    /// <summary>The text of the first heading in <paramref name="markdown"/>, or null.</summary>
    public static string? FirstHeading(string markdown)
    {
        var heading = Markdown.Parse(markdown, Pipeline).Descendants<HeadingBlock>().FirstOrDefault();
        string? text = heading?.Inline is { } inline
            ? string.Concat(inline.Descendants<LeafInline>().Select(leaf => leaf switch
            {
                LiteralInline literal => literal.Content.ToString(),
                CodeInline code => code.Content,
                _ => "",
            }))
            : null;
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>A data URI for the attachment <paramref name="name"/> (a MIME bundle, usually a single image), or null.</summary>
    private static string? DataUri(JsonObject? attachments, string name)
    {
        if (attachments?[Uri.UnescapeDataString(name)] is not JsonObject bundle) return null;
        foreach (var (mime, value) in bundle)
        {
            string? content = value switch
            {
                JsonArray lines => string.Concat(lines.Select(line => line?.ToString())),
                _ when JsonAccess.IsString(value, out string? text) => text,
                _ => null,
            };
            if (content is null) continue;
            return RichOutput.IsLinesMime(mime)                                    // SVG and text are stored as text, images as base64
                ? $"data:{mime};charset=utf-8,{Uri.EscapeDataString(content)}"
                : $"data:{mime};base64,{string.Concat(content.Where(c => !char.IsWhiteSpace(c)))}";
        }
        return null;
    }
}
