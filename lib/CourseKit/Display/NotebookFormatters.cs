using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace CourseKit;

/// <summary>
/// Makes CourseKit's values show as HTML in .NET Interactive (Polyglot) notebooks: a cell whose value is a
/// chart draws it, a <see cref="Tensor"/> shows as a table or a picture (see <see cref="TensorHtml"/>), a
/// <see cref="ModelSummary"/> as a table, a training <see cref="History"/> as its loss curves and a table. Registration happens by itself when the library is loaded, so
/// <c>#r "CourseKit.dll"</c> is enough; plain text stays each type's <c>ToString()</c>.
/// </summary>
public static class NotebookFormatters
{
    private const string Html = "text/html", PlainText = "text/plain";
    private static readonly object Gate = new();
    private static bool _plotlyJsSent;

    /// <summary>
    /// Where charts in the notebook get plotly.js. <see cref="PlotlyJs.Inline"/> (the default) embeds it in
    /// the first chart's output only, so notebooks work offline; later charts reuse it.
    /// </summary>
    public static PlotlyJs PlotlyJs { get; set; } = PlotlyJs.Inline;

    /// <summary>Registers the HTML formatters. Calling it again does nothing unless the formatters were reset.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (Formatter.RegisteredFormatters(false).Any(f => f.Type == typeof(Tensor) && f.MimeType == Html)) return;
            Formatter.Register<GenericChart>(ChartToHtml, Html);
            Formatter.Register<GenericChart>(_ => "Plotly chart (shown as HTML)", PlainText);   // not Plotly.NET's object dump
            Formatter.Register<Tensor>(TensorHtml.ToHtml, Html);
            Formatter.Register<Tensor>(t => t.ToString(), PlainText);
            Formatter.Register<ModelSummary>(SummaryHtml.ToHtml, Html);
            Formatter.Register<ModelSummary>(s => s.ToString(), PlainText);
            Formatter.Register<History>(h => HistoryHtml.ToHtml(h, NextPlotlyJs()), Html);
            Formatter.Register<History>(h => h.ToString(), PlainText);
        }
    }

    /// <summary>Makes the next chart embed plotly.js again, e.g. after the output that carried it was cleared.</summary>
    public static void ResendPlotlyJs()
    {
        lock (Gate) _plotlyJsSent = false;
    }

    private static string ChartToHtml(GenericChart chart) => ChartHtml.Fragment(chart, NextPlotlyJs());

    /// <summary>How the next chart gets plotly.js: inline only the first time when <see cref="PlotlyJs"/> is Inline.</summary>
    private static PlotlyJs NextPlotlyJs()
    {
        if (PlotlyJs != PlotlyJs.Inline) return PlotlyJs;
        lock (Gate)
        {
            bool sent = _plotlyJsSent;
            _plotlyJsSent = true;
            return sent ? PlotlyJs.AlreadyLoaded : PlotlyJs.Inline;
        }
    }

#pragma warning disable CA2255 // a library may use a module initializer: this one only registers display formatters
    /// <summary>Registers the formatters when the library is loaded; a failure must never stop the library from loading.</summary>
    [ModuleInitializer]
    internal static void RegisterWhenLoaded()
    {
        try { Register(); }
        catch (Exception) { /* no notebook formatting available: the library works without it */ }
    }
#pragma warning restore CA2255
}
