using System.Globalization;
using System.Net;
using System.Text;

namespace CourseKit;

/// <summary>
/// How a <see cref="Tensor"/> looks in a notebook: small vectors and matrices (at most
/// <see cref="MaxTableSize"/> × <see cref="MaxTableSize"/>) as a table, images — (H, W), (C, H, W) or a batch
/// (N, C, H, W) with C ∈ {1, 3} and H, W ≥ <see cref="MinImageSize"/> — as pictures, anything else as its
/// shape, statistics and printed values.
/// </summary>
public static class TensorHtml
{
    /// <summary>Vectors and matrices up to this many rows and columns are shown as a table.</summary>
    public const int MaxTableSize = 20;

    /// <summary>Images must be at least this many pixels high and wide to be shown as a picture.</summary>
    public const int MinImageSize = 8;

    /// <summary>At most this many images of a batch are shown.</summary>
    public const int MaxBatchImages = 32;

    /// <summary>The HTML for <paramref name="tensor"/>.</summary>
    public static string ToHtml(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (IsTable(tensor.Shape)) return Table(tensor);
        if (IsImage(tensor.Shape)) return Pictures(tensor);
        return Text(tensor);
    }

    /// <summary>Scalars, vectors and matrices with at most <see cref="MaxTableSize"/> rows and columns.</summary>
    public static bool IsTable(Shape shape) =>
        shape.Rank <= 2 && shape.All(n => n <= MaxTableSize);

    /// <summary>(H, W), (C, H, W) or (N, C, H, W) with C ∈ {1, 3} and H, W ≥ <see cref="MinImageSize"/>.</summary>
    public static bool IsImage(Shape shape) =>
        shape.Rank is >= 2 and <= 4 && shape[-1] >= MinImageSize && shape[-2] >= MinImageSize
        && (shape.Rank == 2 || shape[-3] is 1 or 3);

    private static string Table(Tensor tensor)
    {
        var values = tensor.ToArray();
        int rows = tensor.Rank == 2 ? tensor.Size(0) : 1, columns = values.Length / Math.Max(rows, 1);
        var html = new StringBuilder("<table class=\"coursekit-tensor\" style=\"border-collapse: collapse; font-family: monospace\">\n");
        for (int r = 0; r < rows; r++)
        {
            html.Append("<tr>");
            for (int c = 0; c < columns; c++)
                html.Append("<td style=\"border: 1px solid #ccc; padding: 2px 6px; text-align: right\">").Append(Format(values[r * columns + c])).Append("</td>");
            html.Append("</tr>\n");
        }
        return html.Append("</table>\n").Append(Caption(tensor)).ToString();
    }

    private static string Pictures(Tensor tensor)
    {
        var images = tensor.Rank == 4 ? tensor : tensor.Unsqueeze(0);
        if (tensor.Rank == 2) images = tensor.Unsqueeze(0).Unsqueeze(0);
        int n = Math.Min(images.Size(0), MaxBatchImages);
        var values = tensor.ToArray();
        float low = values.Min(), high = values.Max();     // one scale for the whole batch
        int height = images.Size(2), width = images.Size(3);
        int zoom = Math.Max(1, 112 / Math.Max(height, width));  // small images like MNIST are drawn larger, without blurring
        var html = new StringBuilder("<div class=\"coursekit-tensor\">\n");
        for (int i = 0; i < n; i++)
        {
            string uri = PixelImage.FromTensor(images[i], low, high).ToDataUri();
            html.Append($"<img src=\"{uri}\" width=\"{width * zoom}\" height=\"{height * zoom}\" style=\"image-rendering: pixelated; margin: 2px\" title=\"{i}\">");
        }
        if (n < images.Size(0)) html.Append($"<span>… ({images.Size(0) - n} more)</span>");
        return html.Append("\n</div>\n").Append(Caption(tensor)).ToString();
    }

    private static string Text(Tensor tensor) =>
        Caption(tensor) + "<pre>" + WebUtility.HtmlEncode(tensor.ToString()) + "</pre>\n";

    /// <summary>A line with the shape and, for non-empty tensors, the minimum, mean and maximum.</summary>
    private static string Caption(Tensor tensor)
    {
        var values = tensor.ToArray();
        string stats = values.Length == 0 ? "" : $", min {Format(values.Min())}, mean {Format(values.Average())}, max {Format(values.Max())}";
        string grad = tensor.RequiresGrad ? ", requires grad" : "";
        string name = tensor.Name is null ? "" : WebUtility.HtmlEncode(tensor.Name) + " ";
        return $"<div style=\"color: #666; font-size: smaller\">{name}Tensor shape {tensor.Shape}{stats}{grad}</div>\n";
    }

    private static string Format(float v) =>
        float.IsNaN(v) ? "nan" : float.IsInfinity(v) ? (v > 0 ? "inf" : "-inf") : v.ToString("0.####", CultureInfo.InvariantCulture);
}
