using System.Globalization;
using System.Net;
using System.Text;

namespace CourseKit;

/// <summary>A <see cref="ModelSummary"/> as an HTML table, with the totals under it.</summary>
public static class SummaryHtml
{
    /// <summary>The HTML for <paramref name="summary"/>.</summary>
    public static string ToHtml(ModelSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        static string MB(double mb) => mb.ToString("0.00", CultureInfo.InvariantCulture) + " MB";
        static string E(string s) => WebUtility.HtmlEncode(s);

        var html = new StringBuilder();
        html.Append($"<div class=\"coursekit-summary\"><b>Model: {E(summary.ModelName)}</b>, input (N, {string.Join(", ", summary.InputShape)})\n");
        html.Append("<table>\n<thead><tr><th style=\"text-align: left\">Layer (type)</th><th style=\"text-align: left\">Output Shape</th><th style=\"text-align: right\">Param #</th><th style=\"text-align: right\">Activations</th></tr></thead>\n<tbody>\n");
        foreach (var row in summary.Rows)
            html.Append($"<tr><td style=\"text-align: left\">{E(row.Layer)}</td><td style=\"text-align: left\">{E(row.OutputShapeText)}</td><td style=\"text-align: right\">{N(row.Parameters)}</td><td style=\"text-align: right\">{(row.CountsAsActivation ? N(row.ActivationValues) : "in place")}</td></tr>\n");
        html.Append("</tbody>\n</table>\n");
        html.Append($"<div>Total params: {N(summary.TotalParameters)} ({MB(summary.ParameterMegabytes)}) — trainable {N(summary.TrainableParameters)}, non-trainable {N(summary.NonTrainableParameters)}</div>\n");
        html.Append($"<div>Conv params: {N(summary.ConvParameters)}, fully-connected params: {N(summary.FullyConnectedParameters)}, other params: {N(summary.OtherParameters)}</div>\n");
        html.Append($"<div>Activations per image: {N(summary.ActivationValues)} values ({MB(summary.ActivationMegabytes)}); with the input: {N(summary.ForwardValues)} values ({MB(summary.ForwardMegabytes)})</div>\n");
        return html.Append("</div>\n").ToString();
    }
}
