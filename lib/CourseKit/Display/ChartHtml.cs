using System.Net;
using System.Text;
using Plotly.NET;

namespace CourseKit;

/// <summary>
/// Turns Plotly.NET charts into HTML: a fragment for a notebook output (a <c>&lt;div&gt;</c> and a
/// <c>&lt;script&gt;</c> calling <c>Plotly.newPlot</c>) or a whole page to save as a file. The chart's data,
/// layout and config come from Plotly.NET's own <c>GenericChart.toJson</c>; the script only adds what
/// <c>toChartHTML</c> lacks for notebooks: it waits until plotly.js is there before drawing.
/// </summary>
public static class ChartHtml
{
    private static readonly Lazy<(string Version, string Script)> Bundled = new(ReadBundledPlotly);

    /// <summary>The version of the plotly.js bundled with Plotly.NET, e.g. <c>2.28.0</c>.</summary>
    public static string PlotlyVersion => Bundled.Value.Version;

    /// <summary>The CDN address of the same plotly.js version.</summary>
    public static string CdnUrl => $"https://cdn.plot.ly/plotly-{PlotlyVersion}.min.js";

    /// <summary>
    /// The <c>&lt;script&gt;</c> element that provides plotly.js (empty for <see cref="PlotlyJs.AlreadyLoaded"/>).
    /// The inline form hides any AMD loader (Jupyter's require.js) so that plotly.js always sets <c>window.Plotly</c>.
    /// </summary>
    public static string PlotlyScriptTag(PlotlyJs plotlyJs) => plotlyJs switch
    {
        PlotlyJs.Inline => "<script type=\"text/javascript\">(function (define, module, exports) {\n" + Bundled.Value.Script + "\n})();</script>\n",
        PlotlyJs.Cdn => $"<script src=\"{CdnUrl}\" charset=\"utf-8\"></script>\n",
        _ => "",
    };

    /// <summary>
    /// An HTML fragment showing <paramref name="chart"/>: the plotly.js script tag chosen by
    /// <paramref name="plotlyJs"/>, the <c>&lt;div&gt;</c> the chart is drawn in and the drawing script.
    /// </summary>
    public static string Fragment(GenericChart chart, PlotlyJs plotlyJs = PlotlyJs.Inline) =>
        PlotlyScriptTag(plotlyJs) + ChartDiv(chart);

    /// <summary>
    /// A complete HTML page with all <paramref name="charts"/>, plotly.js included once according to
    /// <paramref name="plotlyJs"/> (inline by default, so the file works offline).
    /// </summary>
    public static string Page(IEnumerable<GenericChart> charts, PlotlyJs plotlyJs = PlotlyJs.Inline, string title = "CourseKit charts")
    {
        ArgumentNullException.ThrowIfNull(charts);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n")
            .Append(PlotlyScriptTag(plotlyJs))
            .Append("</head>\n<body>\n");
        foreach (var chart in charts) html.Append(ChartDiv(chart)).Append('\n');
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A complete offline HTML page with all <paramref name="charts"/> (plotly.js embedded once).</summary>
    public static string Page(params GenericChart[] charts) => Page(charts, PlotlyJs.Inline);

    /// <summary>Saves <paramref name="charts"/> as an offline HTML page at <paramref name="path"/>.</summary>
    public static void Save(string path, params GenericChart[] charts) => File.WriteAllText(path, Page(charts));

    /// <summary>The <c>&lt;div&gt;</c> and the script that draws the chart into it once plotly.js is loaded.</summary>
    private static string ChartDiv(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string id = "coursekit-plot-" + Guid.NewGuid().ToString("N");
        string figure = GenericChart.toJson(chart).Replace("</", "<\\/");   // a "</script>" inside a string must not end the script
        return $$"""
            <div id="{{id}}" class="plotly-graph-div"></div>
            <script type="text/javascript">
            (function () {
                var figure = {{figure}};
                function draw() { Plotly.newPlot('{{id}}', figure.data, figure.layout, figure.config); }
                if (window.Plotly) { draw(); return; }
                // plotly.js is not there yet: wait for the output that loads it, after 5 s fetch it from the CDN.
                var waited = 0, timer = setInterval(function () {
                    if (window.Plotly) { clearInterval(timer); draw(); }
                    else if ((waited += 100) >= 5000) {
                        clearInterval(timer);
                        var script = document.createElement('script');
                        script.src = '{{CdnUrl}}';
                        script.onload = draw;
                        document.head.appendChild(script);
                    }
                }, 100);
            })();
            </script>
            """;
    }

    /// <summary>Reads plotly.min.js from Plotly.NET's embedded resources; the version is in its name.</summary>
    private static (string, string) ReadBundledPlotly()
    {
        var assembly = typeof(GenericChart).Assembly;
        string name = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-") && n.EndsWith(".min.js"));
        using var stream = assembly.GetManifestResourceStream(name)!;
        string version = name["Plotly.NET.plotly-".Length..^".min.js".Length];
        return (version, new StreamReader(stream).ReadToEnd());
    }
}
