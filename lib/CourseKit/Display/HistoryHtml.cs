using System.Globalization;
using System.Net;
using System.Text;

namespace CourseKit;

/// <summary>A training <see cref="History"/> as HTML: the loss curves above a table with one row per epoch.</summary>
public static class HistoryHtml
{
    /// <summary>The HTML for <paramref name="history"/>; <paramref name="plotlyJs"/> says where the chart gets plotly.js.</summary>
    public static string ToHtml(History history, PlotlyJs plotlyJs = PlotlyJs.Inline)
    {
        ArgumentNullException.ThrowIfNull(history);
        var html = new StringBuilder("<div class=\"coursekit-history\">\n");
        if (history.Epochs.Count > 0) html.Append(ChartHtml.Fragment(Plot.LossCurves(history), plotlyJs)).Append('\n');

        bool validation = history.HasValidation;
        html.Append("<table>\n<thead><tr><th>epoch</th><th>loss</th><th>acc</th>");
        if (validation) html.Append("<th>val_loss</th><th>val_acc</th>");
        html.Append("<th>lr</th><th>time</th></tr></thead>\n<tbody>\n");
        foreach (var e in history.Epochs)
        {
            html.Append(Invariant($"<tr><td>{e.Epoch}</td><td>{e.TrainLoss:0.0000}</td><td>{e.TrainAccuracy:0.0%}</td>"));
            if (validation) html.Append(Invariant($"<td>{e.ValidationLoss:0.0000}</td><td>{e.ValidationAccuracy:0.0%}</td>"));
            html.Append(Invariant($"<td>{e.LearningRate:0.#####}</td><td>{e.Seconds:0.0} s</td></tr>\n"));
        }
        html.Append("</tbody>\n</table>\n");
        foreach (var message in history.Messages) html.Append("<div>").Append(WebUtility.HtmlEncode(message)).Append("</div>\n");
        return html.Append("</div>\n").ToString();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
