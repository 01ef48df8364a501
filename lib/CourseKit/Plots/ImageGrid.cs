using Plotly.NET;

namespace CourseKit;

/// <summary>
/// Lays out small pictures in rows and columns: one sub-plot per picture, each with its own axes
/// (Plotly's grid with <c>pattern: "independent"</c>), axis ticks hidden and the caption under the picture.
/// </summary>
internal static class ImageGrid
{
    /// <summary>Size of one cell of the grid in pixels.</summary>
    private const int CellSize = 110;

    /// <summary>
    /// Places <paramref name="cells"/> (one trace each, with an optional caption and caption colour)
    /// into a grid with <paramref name="columns"/> columns. <paramref name="reverseY"/> puts row 0 at the
    /// top, as in an image, for heatmap traces (image traces do this themselves).
    /// </summary>
    public static GenericChart Build(string? title, IReadOnlyList<(Trace Trace, string? Caption, string? Color)> cells, int columns, bool reverseY)
    {
        if (cells.Count == 0) throw new ArgumentException("ImageGrid: nothing to show (no images).");
        if (columns <= 0) throw new ArgumentException($"ImageGrid: columns must be positive, got {columns}.");
        columns = Math.Min(columns, cells.Count);
        int rows = (cells.Count + columns - 1) / columns;

        var layout = Figure.Layout(
            ("title", title is null ? null : Figure.Title(title)),
            ("grid", new { rows, columns, pattern = "independent", xgap = 0.08, ygap = 0.25 }),
            ("showlegend", false),
            ("width", 60 + columns * CellSize),
            ("height", (title is null ? 40 : 80) + rows * (CellSize + 15)),
            ("margin", new { l = 20, r = 20, b = 30, t = title is null ? 20 : 60 }));

        var traces = new List<Trace>();
        for (int k = 0; k < cells.Count; k++)
        {
            var (trace, caption, color) = cells[k];
            traces.Add(Figure.With(trace, ("xaxis", Figure.AxisRef('x', k)), ("yaxis", Figure.AxisRef('y', k))));
            layout.SetProperty(Figure.AxisKey('x', k), new
            {
                showticklabels = false, showgrid = false, zeroline = false, ticks = "",
                title = new { text = caption ?? "", standoff = 2, font = new { size = 12, color = color ?? "#333" } },
            });
            var yAxis = new Dictionary<string, object>
            {
                ["showticklabels"] = false, ["showgrid"] = false, ["zeroline"] = false, ["ticks"] = "",
                ["scaleanchor"] = Figure.AxisRef('x', k),
            };
            if (reverseY) yAxis["autorange"] = "reversed";
            layout.SetProperty(Figure.AxisKey('y', k), yAxis);
        }
        return Figure.Chart(traces, layout);
    }
}
