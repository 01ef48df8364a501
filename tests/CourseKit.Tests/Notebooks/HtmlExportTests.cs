using System.Text.RegularExpressions;
using CourseKit.Notebooks;
using CourseKit.Tests.Browser;

namespace CourseKit.Tests.Notebooks;

public class HtmlExportTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Notebooks", "convolution-by-hand.ipynb");

    /// <summary>The line that opens plotly.min.js — counting it counts the copies of plotly.js in a page.</summary>
    private static string PlotlyBanner => "plotly.js v" + PlotlyBundle.Version;

    [Fact]
    public void Markdown_cells_are_rendered_with_headings_tables_code_spans_readable_math_and_attachments()
    {
        string html = HtmlExporter.Export(NotebookDocument.Load(Fixture));

        Assert.Contains("<title>Convolution by hand</title>", html);
        Assert.Contains("<h1 id=\"convolution-by-hand\">Convolution by hand</h1>", html);
        Assert.Matches("<table[^>]*>\\s*<thead>\\s*<tr>\\s*<th>input</th>", html);
        Assert.Contains("<td>6×6</td>", html);
        Assert.Contains("<code>padding = 1</code>", html);
        Assert.Contains("<span class=\"math\">\\((6 - 3 + 1) \\times (6 - 3 + 1)\\)</span>", html);   // LaTeX kept readable
        Assert.Contains("<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAMAAAAD", html);           // attachment:edge.png
        Assert.DoesNotContain("attachment:", html);
    }

    [Fact]
    public void Code_is_escaped_and_outputs_follow_it_in_order()
    {
        var notebook = NotebookDocument.CreateCSharp();
        var cell = notebook.InsertCode(0, "if (a < b && c > d) Console.WriteLine(\"<b>\");");
        cell.ExecutionCount = 12;
        cell.Outputs.Add(new StreamOutput("stdout", "first <out>\n"));
        cell.Outputs.Add(DisplayDataOutput.Html("<p id=\"second\">second</p>"));
        cell.Outputs.Add(new StreamOutput("stderr", "third\n"));
        cell.Outputs.Add(new ExecuteResultOutput(12, new Dictionary<string, string> { ["text/plain"] = "fourth" }));

        string html = HtmlExporter.Export(notebook);

        Assert.Contains("if (a &lt; b &amp;&amp; c &gt; d) Console.WriteLine(&quot;&lt;b&gt;&quot;);", html);
        Assert.Contains("In [12]:", html);
        Assert.Contains("Out[12]:", html);
        string[] inOrder = ["<code class=\"language-csharp\">", "first &lt;out&gt;", "<p id=\"second\">second</p>", "class=\"stream stderr\">third", "fourth"];
        int[] positions = inOrder.Select(part => html.IndexOf(part, StringComparison.Ordinal)).ToArray();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void Each_output_shows_its_richest_mime_type()
    {
        var notebook = NotebookDocument.CreateCSharp();
        var cell = notebook.InsertCode(0, "show();");
        cell.Outputs.Add(new DisplayDataOutput(new Dictionary<string, string> { ["text/plain"] = "plain 1", ["text/html"] = "<em>html 1</em>" }));
        cell.Outputs.Add(new DisplayDataOutput(new Dictionary<string, string> { ["text/plain"] = "plain 2", ["image/png"] = "iVBORw0K\nGgo=" }));
        cell.Outputs.Add(new DisplayDataOutput(new Dictionary<string, string> { ["text/plain"] = "plain 3", ["text/markdown"] = "**markdown 3**" }));
        cell.Outputs.Add(new DisplayDataOutput(new Dictionary<string, string> { ["image/png"] = "AAAA", ["image/svg+xml"] = "<svg id=\"svg-4\"></svg>" }));
        cell.Outputs.Add(DisplayDataOutput.Text("plain <5>"));

        string html = HtmlExporter.Export(notebook);

        Assert.Contains("<em>html 1</em>", html);
        Assert.Contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\"", html);
        Assert.Contains("<strong>markdown 3</strong>", html);
        Assert.Contains("<svg id=\"svg-4\"></svg>", html);
        Assert.Contains("plain &lt;5&gt;", html);
        Assert.DoesNotContain("plain 1", html);
        Assert.DoesNotContain("plain 2", html);
        Assert.DoesNotContain("plain 3", html);
        Assert.DoesNotContain("AAAA", html);
    }

    [Fact]
    public void Error_outputs_show_name_message_and_traceback_without_ANSI_color_codes()
    {
        var notebook = NotebookDocument.CreateCSharp();
        notebook.InsertCode(0, "1 / zero").Outputs.Add(new ErrorOutput(
            "\u001b[0;31mSystem.DivideByZeroException\u001b[0m", "Attempted to divide by zero.",
            ["\u001b[1;31mSystem.DivideByZeroException\u001b[0m: Attempted to divide by zero.", "   at Submission#3.<<Initialize>>d__0.MoveNext()\u001b[K"]));

        string html = HtmlExporter.Export(notebook);

        Assert.DoesNotContain("\u001b", html, StringComparison.Ordinal);
        Assert.DoesNotContain("[0;31m", html);
        Assert.Contains("<span class=\"ename\">System.DivideByZeroException</span>: Attempted to divide by zero.", html);
        Assert.Contains("   at Submission#3.&lt;&lt;Initialize&gt;&gt;d__0.MoveNext()", html);
    }

    [Fact]
    public void An_offline_page_carries_plotly_js_once_in_its_head_and_no_copy_in_the_outputs()
    {
        string html = HtmlExporter.Export(TwoChartNotebook());

        Assert.Single(Regex.Matches(html, Regex.Escape(PlotlyBanner)));
        Assert.True(html.IndexOf(PlotlyBanner, StringComparison.Ordinal) < html.IndexOf("</head>", StringComparison.Ordinal), "plotly.js belongs in <head>");
        Assert.Contains("<script type=\"text/javascript\">(function (define, module, exports) {\n", html);
        Assert.Equal(2, Regex.Matches(html, "class=\"plotly-graph-div\"").Count);
        Assert.DoesNotContain("<script src=\"https://cdn.plot.ly", html);
    }

    [Fact]
    public void An_online_page_loads_plotly_js_from_the_CDN_and_embeds_none()
    {
        string html = HtmlExporter.Export(TwoChartNotebook(), new HtmlExportOptions(Offline: false));

        Assert.DoesNotContain(PlotlyBanner, html);
        Assert.Contains($"<script src=\"https://cdn.plot.ly/plotly-{PlotlyBundle.Version}.min.js\" charset=\"utf-8\"></script>", html);
        Assert.True(html.Length < 100_000);
        Assert.Equal(2, Regex.Matches(html, "class=\"plotly-graph-div\"").Count);
    }

    [Fact]
    public void A_page_without_charts_carries_no_plotly_js()
    {
        string html = HtmlExporter.Export(NotebookDocument.Load(Fixture));
        Assert.DoesNotContain(PlotlyBanner, html);
        Assert.DoesNotContain("cdn.plot.ly", html);
    }

    [Fact]
    public void Save_replaces_the_page_atomically()
    {
        using var dir = new ScratchFolder();
        string path = dir.File("lecture.html");
        File.WriteAllText(path, "old");

        HtmlExporter.Save(NotebookDocument.Load(Fixture), path, new HtmlExportOptions(Title: "Lecture 3"));

        Assert.Contains("<title>Lecture 3</title>", File.ReadAllText(path));
        Assert.Equal(["lecture.html"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void An_offline_page_draws_both_charts_in_headless_Chromium_with_the_network_off()
    {
        using var dir = new ScratchFolder();
        string path = dir.File("charts.html");
        HtmlExporter.Save(TwoChartNotebook(), path);

        string dom = HeadlessChromium.DumpDom(path);

        foreach (string id in new[] { "coursekit-plot-first", "coursekit-plot-second" })
        {
            int div = dom.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
            Assert.True(div >= 0, $"the chart div {id} is missing");
            Assert.True(dom.IndexOf("class=\"main-svg\"", div, StringComparison.Ordinal) is var svg && svg > div && svg - div < 3_000,
                        $"plotly.js did not draw {id} as svg.main-svg");
        }
        Assert.True(Regex.Matches(dom, "<svg class=\"main-svg\"").Count >= 2);
    }

    /// <summary>A notebook whose cell shows two CourseKit charts as its formatter writes them, the first carrying plotly.js inline.</summary>
    private static NotebookDocument TwoChartNotebook()
    {
        var notebook = NotebookDocument.CreateCSharp();
        notebook.InsertMarkdown(0, "# Two charts");
        var cell = notebook.InsertCode(1, "display(Plot.Curves(...));\ndisplay(Plot.Curves(...));");
        cell.Outputs.Add(DisplayDataOutput.Html(Chart("first", PlotlyJs.Inline)));
        cell.Outputs.Add(DisplayDataOutput.Html(Chart("second", PlotlyJs.AlreadyLoaded)));
        return notebook;
    }

    /// <summary>CourseKit's HTML for a small curve chart, its div id renamed to <c>coursekit-plot-{name}</c>.</summary>
    private static string Chart(string name, PlotlyJs plotlyJs)
    {
        string html = ChartHtml.Fragment(Plot.Curves(name, ("loss", new double[] { 3, 4 })), plotlyJs);
        string id = Regex.Match(html, "coursekit-plot-[0-9a-f]{32}").Value;
        return html.Replace(id, "coursekit-plot-" + name);
    }
}
