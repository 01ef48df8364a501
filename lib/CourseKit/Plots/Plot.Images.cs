using Plotly.NET;

namespace CourseKit;

public static partial class Plot
{
    /// <summary>
    /// A grid of images from a batch of shape (N, C, H, W): grey for C = 1, colour for C = 3. Values are
    /// scaled from the batch's minimum and maximum to black…white, so normalised images show as well.
    /// Each picture is sent to the browser as a small PNG (a Plotly <c>image</c> trace with a <c>source</c>).
    /// </summary>
    /// <param name="images">The batch, (N, 1, H, W) or (N, 3, H, W); a single (C, H, W) image is also accepted.</param>
    /// <param name="titles">Optional caption under each image.</param>
    /// <param name="columns">Images per row.</param>
    public static GenericChart Images(Tensor images, IReadOnlyList<string>? titles = null, int columns = 8) =>
        Images(images, titles?.Select(t => (t, (string?)null)).ToList(), columns, title: null);

    /// <summary>
    /// Images with their true label and the model's prediction as captions: <c>"7 ✓"</c> when right and
    /// <c>"3 → 8 ✗"</c> (label → prediction) in red when wrong.
    /// </summary>
    public static GenericChart Predictions(Tensor images, IReadOnlyList<int> labels, IReadOnlyList<int> predictions, IReadOnlyList<string> classNames, int columns = 8)
    {
        ArgumentNullException.ThrowIfNull(images);
        int n = images.Rank == 4 ? images.Size(0) : 1;
        if (labels.Count != n || predictions.Count != n)
            throw new ArgumentException($"Plot.Predictions: {n} images need {n} labels and {n} predictions, got {labels.Count} and {predictions.Count}.");
        string Name(int c) => c >= 0 && c < classNames.Count ? classNames[c] : c.ToString();
        var captions = labels.Zip(predictions, (label, predicted) => label == predicted
            ? ($"{Name(label)} ✓", (string?)"green")
            : ($"{Name(label)} → {Name(predicted)} ✗", "red")).ToList();
        int correct = labels.Zip(predictions).Count(p => p.First == p.Second);
        return Images(images, captions, columns, title: $"{correct} of {n} correct");
    }

    /// <inheritdoc cref="Predictions(Tensor, IReadOnlyList{int}, IReadOnlyList{int}, IReadOnlyList{string}, int)"/>
    /// <param name="images">The batch, (N, C, H, W).</param>
    /// <param name="labels">The true classes, shape (N).</param>
    /// <param name="predictions">The predicted classes, shape (N) (e.g. <c>logits.ArgMax(1)</c>).</param>
    /// <param name="classNames">The class names by label.</param>
    /// <param name="columns">Images per row.</param>
    public static GenericChart Predictions(Tensor images, Tensor labels, Tensor predictions, IReadOnlyList<string> classNames, int columns = 8) =>
        Predictions(images, Labels(labels), Labels(predictions), classNames, columns);

    private static int[] Labels(Tensor t) => Array.ConvertAll(t.ToArray(), v => (int)v);

    private static GenericChart Images(Tensor images, IReadOnlyList<(string Text, string? Color)>? captions, int columns, string? title)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Rank == 3) images = images.Unsqueeze(0);
        if (images.Rank != 4 || images.Size(1) is not (1 or 3))
            throw new ShapeException($"Plot.Images: expected images of shape (N, 1, H, W) or (N, 3, H, W), got {images.Shape}.");
        int n = images.Size(0);
        if (captions is not null && captions.Count != n)
            throw new ArgumentException($"Plot.Images: {n} images need {n} titles, got {captions.Count}.");

        var values = images.ToArray();
        float low = values.Min(), high = values.Max();     // one scale for the whole batch
        var cells = Enumerable.Range(0, n).Select(i => (
            ImageTrace(PixelImage.FromTensor(images[i], low, high)),
            captions?[i].Text,
            captions?[i].Color)).ToList();
        return ImageGrid.Build(title, cells, columns, reverseY: false);
    }

    /// <summary>A Plotly <c>image</c> trace showing <paramref name="image"/> as an embedded PNG.</summary>
    private static Trace ImageTrace(PixelImage image) =>
        Figure.Trace("image", ("source", image.ToDataUri()), ("hoverinfo", "x+y"));
}
