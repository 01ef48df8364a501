using System.Text;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>
/// Writes a notebook as one standalone, readable web page: Markdown cells rendered, code cells with their
/// source and outputs — the richest form of each — and charts that draw with the page opened from disk offline.
/// </summary>
public static class HtmlExporter
{
    /// <summary>The MIME types a page can show, richest first: the first one an output has is shown.</summary>
    private static readonly string[] ShownMimeTypes = ["text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/plain"];

    /// <summary>The page for <paramref name="notebook"/>.</summary>
    public static string Export(NotebookDocument notebook, HtmlExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        options ??= new HtmlExportOptions();
        var page = new Page(notebook.DefaultKernelName);
        foreach (var cell in notebook.Cells) page.Cell(cell);

        string title = options.Title
            ?? notebook.Cells.Where(c => c.KernelName(notebook.DefaultKernelName) == "markdown").Select(c => NotebookMarkdown.FirstHeading(c.Code)).FirstOrDefault(h => h is not null)
            ?? (notebook.SourceName is { } source ? Path.GetFileNameWithoutExtension(source) : "Notebook");
        string plotly = !page.UsesPlotly ? "" : options.Offline ? PlotlyBundle.InlineScriptTag() : PlotlyBundle.CdnScriptTag();
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Escape(title)}</title>
            <style>
            {HtmlExportStyle.Css}
            </style>
            {plotly}</head>
            <body>
            <main>
            {page.Body}</main>
            </body>
            </html>

            """;
    }

    /// <summary>Writes the page for <paramref name="notebook"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(NotebookDocument notebook, string path, HtmlExportOptions? options = null) =>
        AtomicFile.WriteAllText(path, Export(notebook, options));

    /// <summary>The cells of a page as they are written, and whether any output draws with plotly.js.</summary>
    private sealed class Page(string defaultKernel)
    {
        public StringBuilder Body { get; } = new();

        public bool UsesPlotly { get; private set; }

        public void Cell(NotebookCell cell)
        {
            if (cell.Kind == CellKind.Raw)
            {
                Body.Append("<section class=\"cell raw-cell\">\n")
                    .Append(Row("", $"<pre class=\"raw\">{Escape(cell.Source)}</pre>", "raw"))
                    .Append("</section>\n");
                return;
            }
            string kernel = cell.KernelName(defaultKernel);
            if (cell.Kind == CellKind.Markdown || kernel == "markdown")
            {
                Body.Append("<section class=\"cell markdown-cell\">\n<div class=\"row\"><div class=\"prompt\"></div><div class=\"content markdown\">\n")
                    .Append(NotebookMarkdown.ToHtml(cell.Code, cell.Attachments))
                    .Append("</div></div>\n</section>\n");
                return;
            }

            string prompt = $"In [{cell.ExecutionCount?.ToString() ?? " "}]:"
                            + (kernel == defaultKernel ? "" : $"<span class=\"kernel\">{Escape(kernel)}</span>");
            Body.Append("<section class=\"cell code-cell\">\n")
                .Append(Row(prompt, $"<pre class=\"source\"><code class=\"language-{Escape(kernel)}\">{Escape(cell.Code)}</code></pre>", "input"));
            foreach (var output in cell.Outputs) Output(output);
            Body.Append("</section>\n");
        }

        private void Output(CellOutput output)
        {
            switch (output)
            {
                case StreamOutput stream:
                    Body.Append(Row("", $"<pre class=\"stream {(stream.Name == "stderr" ? "stderr" : "stdout")}\">{Escape(Ansi.Strip(stream.Text))}</pre>", "output"));
                    break;
                case ErrorOutput error:
                    var traceback = error.Traceback.Select(Ansi.Strip).Where(line => line != Ansi.Strip(error.EValue));
                    string text = $"<span class=\"ename\">{Escape(Ansi.Strip(error.EName))}</span>: {Escape(Ansi.Strip(error.EValue))}"
                                  + string.Concat(traceback.Select(line => "\n" + Escape(line)));
                    Body.Append(Row("", $"<pre class=\"error\">{text}</pre>", "output"));
                    break;
                case RichOutput rich when Richest(rich) is { } shown:
                    string prompt = rich is ExecuteResultOutput result ? $"Out[{result.ExecutionCount}]:" : "";
                    Body.Append(Row(prompt, shown, rich is ExecuteResultOutput ? "output execute-result" : "output"));
                    break;
            }
        }

        /// <summary>The HTML of the richest MIME type <paramref name="output"/> has that a page can show, or null.</summary>
        private string? Richest(RichOutput output)
        {
            string? mime = ShownMimeTypes.FirstOrDefault(m => output.GetText(m) is not null);
            if (mime is null) return null;
            string value = output.GetText(mime)!;
            switch (mime)
            {
                case "text/html":
                    string html = PlotlyBundle.RemoveCopies(value, out bool hadPlotly);
                    UsesPlotly |= hadPlotly || html.Contains("Plotly", StringComparison.Ordinal);
                    return $"<div class=\"html\">{html}</div>";
                case "image/svg+xml":
                    return $"<div class=\"svg\">{value}</div>";
                case "image/png" or "image/jpeg":
                    string size = string.Concat(new[] { "width", "height" }
                        .Select(side => output.Metadata[mime]?[side] is JsonValue pixels && pixels.TryGetValue(out int n) ? $" {side}=\"{n}\"" : ""));
                    return $"<img src=\"data:{mime};base64,{string.Concat(value.Where(c => !char.IsWhiteSpace(c)))}\"{size} alt=\"\">";
                case "text/markdown":
                    return $"<div class=\"markdown\">{NotebookMarkdown.ToHtml(value)}</div>";
                default:
                    return $"<pre class=\"text\">{Escape(Ansi.Strip(value))}</pre>";
            }
        }

        private static string Row(string prompt, string content, string kind) =>
            $"<div class=\"row {kind}\"><div class=\"prompt\">{prompt}</div><div class=\"content\">{content}</div></div>\n";
    }

    /// <summary>Text made safe inside HTML: only <c>&amp; &lt; &gt; "</c> are replaced, other characters stay readable.</summary>
    private static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
