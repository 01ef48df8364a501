using System.Net;
using System.Text;

namespace CourseKit;

/// <summary>
/// A self-contained HTML report of a training run — the facts of the run, the model summary, loss and
/// accuracy curves, the confusion matrix and sample predictions (mistakes first). plotly.js is embedded
/// once, so the file opens offline in any browser.
/// </summary>
public sealed class TrainingReport
{
    private readonly List<(string Heading, string Html)> _sections = [];
    private readonly List<(string Name, string Value)> _facts = [];

    /// <summary>Starts a report with a page title.</summary>
    public TrainingReport(string title) => Title = title;

    /// <summary>The page title and top heading.</summary>
    public string Title { get; }

    /// <summary>Adds a line to the facts table at the top (model, dataset, epochs, time, accuracy, …).</summary>
    public TrainingReport Fact(string name, string value) { _facts.Add((name, value)); return this; }

    /// <summary>Adds a section with a chart.</summary>
    public TrainingReport Chart(string heading, Plotly.NET.GenericChart chart) =>
        Html(heading, ChartHtml.Fragment(chart, PlotlyJs.AlreadyLoaded));

    /// <summary>Adds a section with ready-made HTML (e.g. <see cref="SummaryHtml.ToHtml"/>).</summary>
    public TrainingReport Html(string heading, string html) { _sections.Add((heading, html)); return this; }

    /// <summary>
    /// The standard sections for a classifier: summary, curves, confusion matrix, and up to
    /// <paramref name="examples"/> test images with their predictions, misclassified ones first.
    /// </summary>
    public TrainingReport AddClassifierSections(ModelSummary summary, History history, EvaluationResult test, ImageDataset testSet, Module model, ITransform? transform = null, int examples = 32)
    {
        Html("Model", SummaryHtml.ToHtml(summary));
        Chart("Loss", Plot.LossCurves(history));
        Chart("Accuracy", Plot.AccuracyCurves(history));
        Chart("Confusion matrix (test set)", Plot.ConfusionMatrix(test.ConfusionMatrix, test.ClassNames));
        var indices = test.Misclassified.Select(m => m.Index).Take(examples / 2).ToList();
        for (int i = 0; indices.Count < Math.Min(examples, testSet.Count); i++)
            if (!indices.Contains(i)) indices.Add(i);
        var (images, labels) = testSet.GetBatch([.. indices], transform);
        Tensor predictions;
        using (Tensor.NoGrad())
        {
            bool training = model.Training;
            model.Eval();
            predictions = model.Call(images).ArgMax(1);
            model.Train(training);
        }
        Chart($"Test images: {test.Count - test.Correct:N0} of {test.Count:N0} misclassified; mistakes first", Plot.Predictions(images, labels, predictions, test.ClassNames));
        return this;
    }

    /// <summary>The whole page.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(WebUtility.HtmlEncode(Title)).Append("</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222}")
            .Append("table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:left}</style>\n")
            .Append(ChartHtml.PlotlyScriptTag(PlotlyJs.Inline))
            .Append("</head>\n<body>\n<h1>").Append(WebUtility.HtmlEncode(Title)).Append("</h1>\n<table>\n");
        foreach (var (name, value) in _facts)
            html.Append("<tr><th>").Append(WebUtility.HtmlEncode(name)).Append("</th><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>\n");
        html.Append("</table>\n");
        foreach (var (heading, body) in _sections)
            html.Append("<h2>").Append(WebUtility.HtmlEncode(heading)).Append("</h2>\n").Append(body).Append('\n');
        return html.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>Writes the page to <paramref name="path"/> atomically (a temporary file, then a rename), so an existing report is never left half-written.</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temp, ToHtml());
        File.Move(temp, full, overwrite: true);
    }
}
