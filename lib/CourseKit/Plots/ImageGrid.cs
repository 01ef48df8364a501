using Plotly.NET;

namespace CourseKit;

/// <summary>
/// Lays out small pictures in rows and columns: one sub-plot per picture, each with its own axes
/// placed by explicit axis domains, axis ticks hidden and the caption (an annotation) under the picture.
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

        // Each cell gets explicit axis domains (in paper coordinates), leaving a strip under the picture
        // for its caption, which is an annotation anchored at the strip's top.
        int height = (title is null ? 40 : 80) + rows * (CellSize + 18);
        double rowHeight = 1.0 / rows, captionStrip = Math.Min(0.4, 18.0 / (CellSize + 18)) * rowHeight, gap = 0.04 / columns;
        var annotations = new List<object>();
        var layout = Figure.Layout(
            ("title", title is null ? null : Figure.Title(title)),
            ("showlegend", false),
            ("width", 60 + columns * CellSize),
            ("height", height),
            ("margin", new { l = 20, r = 20, b = 10, t = title is null ? 20 : 60 }));

        var traces = new List<Trace>();
        for (int k = 0; k < cells.Count; k++)
        {
            var (trace, caption, color) = cells[k];
            int row = k / columns, column = k % columns;
            double[] xDomain = [(double)column / columns + gap, (double)(column + 1) / columns - gap];
            double[] yDomain = [1 - (row + 1) * rowHeight + captionStrip, 1 - row * rowHeight - gap];
            traces.Add(Figure.With(trace, ("xaxis", Figure.AxisRef('x', k)), ("yaxis", Figure.AxisRef('y', k))));
            layout.SetProperty(Figure.AxisKey('x', k), new
            {
                domain = xDomain, showticklabels = false, showgrid = false, zeroline = false, ticks = "",
                anchor = Figure.AxisRef('y', k),
            });
            var yAxis = new Dictionary<string, object>
            {
                ["domain"] = yDomain, ["showticklabels"] = false, ["showgrid"] = false, ["zeroline"] = false, ["ticks"] = "",
                ["anchor"] = Figure.AxisRef('x', k), ["scaleanchor"] = Figure.AxisRef('x', k), ["constrain"] = "domain",
            };
            if (reverseY) yAxis["autorange"] = "reversed";
            layout.SetProperty(Figure.AxisKey('y', k), yAxis);
            if (!string.IsNullOrEmpty(caption))
                annotations.Add(new
                {
                    text = caption, showarrow = false, xref = "paper", yref = "paper",
                    x = (xDomain[0] + xDomain[1]) / 2, y = yDomain[0], xanchor = "center", yanchor = "top",
                    font = new { size = 12, color = color ?? "#333" },
                });
        }
        layout.SetProperty("annotations", annotations);
        return Figure.Chart(traces, layout);
    }
}
