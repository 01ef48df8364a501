using Plotly.NET;

namespace CourseKit;

public static partial class Plot
{
    /// <summary>A histogram of all values of a tensor, e.g. a layer's weights or activations.</summary>
    public static GenericChart Histogram(Tensor values, string title = "Histogram", int bins = 50)
    {
        ArgumentNullException.ThrowIfNull(values);
        return HistogramChart(title, [HistogramTrace("values", values, bins, opacity: null)]);
    }

    /// <summary>
    /// Several histograms drawn over each other, e.g. activations before and after BatchNorm:
    /// <c>Plot.Histograms(("before", x), ("after", bn.Call(x)))</c>.
    /// </summary>
    public static GenericChart Histograms(params (string Name, Tensor Values)[] series) =>
        Histograms("Histograms", 50, series);

    /// <summary>Like <see cref="Histograms(ValueTuple{string, Tensor}[])"/> with a title and the number of bins.</summary>
    public static GenericChart Histograms(string title, int bins, params (string Name, Tensor Values)[] series)
    {
        if (series is null || series.Length == 0) throw new ArgumentException("Plot.Histograms: give at least one (name, values) series.");
        return HistogramChart(title, series.Select(s => HistogramTrace(s.Name, s.Values, bins, opacity: 0.6)));
    }

    private static Trace HistogramTrace(string name, Tensor values, int bins, double? opacity)
    {
        if (bins <= 0) throw new ArgumentException($"Plot.Histogram: bins must be positive, got {bins}.");
        return Figure.Trace("histogram", ("name", name), ("x", Figure.Doubles(values)), ("nbinsx", bins), ("opacity", opacity));
    }

    private static GenericChart HistogramChart(string title, IEnumerable<Trace> traces) =>
        Figure.Chart(traces, Figure.Layout(
            ("title", Figure.Title(title)), ("barmode", "overlay"),
            ("xaxis", Figure.Axis("value")), ("yaxis", Figure.Axis("count"))));
}
