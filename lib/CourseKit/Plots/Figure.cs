using System.Globalization;
using Plotly.NET;

namespace CourseKit;

/// <summary>
/// The few building blocks every <see cref="Plot"/> uses. A Plotly chart is JSON: a list of traces
/// (<c>{ type: "scatter", x: […], y: […] }</c>) and a layout (<c>{ title: …, xaxis: … }</c>). We write
/// both with plotly.js' own attribute names (see https://plotly.com/javascript/reference/), so each
/// plot reads like the JSON it produces, and let Plotly.NET wrap them in a <see cref="GenericChart"/>.
/// </summary>
internal static class Figure
{
    /// <summary>A trace of the given plotly.js type with the given attributes (anonymous objects nest).</summary>
    public static Trace Trace(string type, params (string Name, object? Value)[] attributes) =>
        With(new Trace(type), attributes);

    /// <summary>A layout with the given attributes.</summary>
    public static Layout Layout(params (string Name, object? Value)[] attributes) =>
        With(new Layout(), attributes);

    /// <summary>Sets <paramref name="attributes"/> on a trace or layout, skipping null values.</summary>
    public static T With<T>(T obj, params (string Name, object? Value)[] attributes) where T : DynamicObj.DynamicObj
    {
        foreach (var (name, value) in attributes)
            if (value is not null) obj.SetProperty(name, value);
        return obj;
    }

    /// <summary>The chart made of <paramref name="traces"/> drawn with <paramref name="layout"/>.</summary>
    public static GenericChart Chart(IEnumerable<Trace> traces, Layout layout)
    {
        var chart = GenericChart.combine(traces.Select(t => GenericChart.ofTraceObject(false, t)));
        return GenericChart.setLayout(layout, chart);
    }

    /// <summary>A title object, <c>{ text: … }</c>.</summary>
    public static object Title(string text) => new { text };

    /// <summary>An axis with a title, e.g. <c>Axis("epoch")</c>.</summary>
    public static object Axis(string title) => new { title = Title(title) };

    /// <summary>Plotly's name of the k-th x or y axis (0-based): "x", "x2", "x3", … (in traces).</summary>
    public static string AxisRef(char axis, int k) => k == 0 ? axis.ToString() : $"{axis}{k + 1}";

    /// <summary>The layout key of the k-th axis (0-based): "xaxis", "xaxis2", … .</summary>
    public static string AxisKey(char axis, int k) => k == 0 ? $"{axis}axis" : $"{axis}axis{k + 1}";

    /// <summary>Converts float tensor values to the doubles Plotly.NET serialises.</summary>
    public static double[] Doubles(Tensor values) => Array.ConvertAll(values.ToArray(), Double);

    /// <summary>
    /// The double with the same shortest decimal form as <paramref name="value"/>: 0.1f becomes 0.1, not
    /// 0.10000000149011612, which keeps the chart's JSON short and readable.
    /// </summary>
    public static double Double(float value) =>
        float.IsFinite(value) ? double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : double.NaN;
}
