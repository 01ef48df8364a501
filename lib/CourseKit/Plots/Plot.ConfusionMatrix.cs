using Plotly.NET;

namespace CourseKit;

public static partial class Plot
{
    /// <summary>
    /// A confusion matrix as a heatmap with the counts written in the cells: row i = true class i,
    /// column j = predicted class j, so the diagonal holds the correct predictions.
    /// </summary>
    public static GenericChart ConfusionMatrix(int[,] matrix, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(classNames);
        int k = matrix.GetLength(0);
        if (matrix.GetLength(1) != k || classNames.Count != k)
            throw new ArgumentException($"Plot.ConfusionMatrix: expected a square k×k matrix and k class names, got {matrix.GetLength(0)}×{matrix.GetLength(1)} and {classNames.Count} names.");

        var z = Enumerable.Range(0, k).Select(i => Enumerable.Range(0, k).Select(j => matrix[i, j]).ToArray()).ToArray();
        var names = classNames.ToArray();
        var trace = Figure.Trace("heatmap",
            ("z", z), ("x", names), ("y", names),
            ("colorscale", "Blues"),
            ("texttemplate", "%{z}"),
            ("hovertemplate", "true %{y}, predicted %{x}: %{z}<extra></extra>"));
        long total = matrix.Cast<int>().Sum(v => (long)v), correct = Enumerable.Range(0, k).Sum(i => (long)matrix[i, i]);
        string accuracy = total == 0 ? "" : $" — accuracy {100.0 * correct / total:0.0}%";
        var layout = Figure.Layout(
            ("title", Figure.Title("Confusion matrix" + accuracy)),
            ("xaxis", new { title = Figure.Title("predicted"), type = "category" }),
            ("yaxis", new { title = Figure.Title("true"), type = "category", autorange = "reversed" }),
            ("width", 160 + 45 * k), ("height", 140 + 45 * k));
        return Figure.Chart([trace], layout);
    }
}
