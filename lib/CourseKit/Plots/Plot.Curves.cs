using Plotly.NET;

namespace CourseKit;

/// <summary>
/// Charts for the course notebooks, drawn with Plotly.NET. Every function returns a
/// <see cref="GenericChart"/>: the last value of a notebook cell is shown as an interactive chart
/// (see <see cref="NotebookFormatters"/>), and <see cref="ChartHtml.Page(GenericChart[])"/> saves charts as an offline HTML page.
/// </summary>
public static partial class Plot
{
    /// <summary>
    /// Line charts of per-epoch values, one line per series, e.g.
    /// <c>Plot.Curves("Loss", ("train", trainLoss), ("validation", validationLoss))</c>. Epochs are numbered
    /// from 1; NaN values (not measured) leave a gap.
    /// </summary>
    public static GenericChart Curves(string title, params (string Name, IReadOnlyList<double> Values)[] series) =>
        Curves(title, "value", series);

    /// <summary>Like <see cref="Curves(string, ValueTuple{string, IReadOnlyList{double}}[])"/> with a y-axis title.</summary>
    public static GenericChart Curves(string title, string yTitle, params (string Name, IReadOnlyList<double> Values)[] series)
    {
        if (series is null || series.Length == 0) throw new ArgumentException("Plot.Curves: give at least one (name, values) series.");
        var traces = series.Select(s => Figure.Trace("scatter",
            ("name", s.Name),
            ("mode", s.Values.Count == 1 ? "markers" : "lines+markers"),
            ("x", Enumerable.Range(1, s.Values.Count).ToArray()),
            ("y", s.Values.Select(v => double.IsFinite(v) ? v : (double?)null).ToArray())));   // null leaves a gap
        var layout = Figure.Layout(("title", Figure.Title(title)), ("xaxis", Figure.Axis("epoch")), ("yaxis", Figure.Axis(yTitle)));
        return Figure.Chart(traces, layout);
    }

    /// <summary>Training and validation loss per epoch.</summary>
    public static GenericChart LossCurves(IReadOnlyList<double> trainLoss, IReadOnlyList<double>? validationLoss = null) =>
        Curves("Loss", "loss", Series(("train", trainLoss), ("validation", validationLoss)));

    /// <summary>Training and validation accuracy per epoch.</summary>
    public static GenericChart AccuracyCurves(IReadOnlyList<double> trainAccuracy, IReadOnlyList<double>? validationAccuracy = null) =>
        Curves("Accuracy", "accuracy", Series(("train", trainAccuracy), ("validation", validationAccuracy)));

    private static (string, IReadOnlyList<double>)[] Series(params (string Name, IReadOnlyList<double>? Values)[] series) =>
        series.Where(s => s.Values is { Count: > 0 }).Select(s => (s.Name, s.Values!)).ToArray();
}
