using System.Globalization;
using System.Numerics.Tensors;

namespace CourseKit;

/// <summary>
/// Normalises each channel: x ← (x − mean[c]) / std[c] (like <c>transforms.Normalize</c>), so that inputs are
/// centred near 0 with spread near 1. Use the dataset's own statistics on the 0–1 scale of
/// <see cref="ToFloat"/> (see <see cref="ImageDataset.ChannelMeanStd"/>), e.g. MNIST: mean 0.1307, std 0.3081.
/// </summary>
/// <example><code>
/// var transform = new Compose(new ToFloat(), new Normalize([0.1307f], [0.3081f]));
/// </code></example>
public sealed class Normalize : ITransform
{
    /// <summary>The mean subtracted from each channel.</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>The standard deviation each channel is divided by.</summary>
    public IReadOnlyList<float> Std { get; }

    /// <summary>Creates the transform with one mean and one standard deviation per channel.</summary>
    /// <exception cref="ArgumentException">The lists are empty or of different lengths, or a standard deviation is not positive.</exception>
    public Normalize(float[] mean, float[] std)
    {
        if (mean.Length == 0 || mean.Length != std.Length)
            throw new ArgumentException($"Normalize needs one mean and one std per channel; got {mean.Length} means and {std.Length} stds.");
        if (std.Any(s => !(s > 0)))
            throw new ArgumentException($"Normalize divides by std, so every std must be positive; got [{Format(std)}].", nameof(std));
        Mean = (float[])mean.Clone();
        Std = (float[])std.Clone();
    }

    /// <summary>The images with each channel normalised.</summary>
    /// <exception cref="ShapeException">The images do not have one channel per mean.</exception>
    public Tensor Apply(Tensor images, Random random)
    {
        var (values, n, c, h, w) = ImageBatch.Read(images, this);
        if (c != Mean.Count)
            throw new ShapeException($"{this}: expected images with {Mean.Count} channel(s) — one per mean — got {images.Shape}.");
        int plane = h * w;
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
            {
                var p = values.AsSpan((i * c + ch) * plane, plane);
                TensorPrimitives.Subtract(p, Mean[ch], p);
                TensorPrimitives.Divide(p, Std[ch], p);
            }
        return ImageBatch.Wrap(values, images, n, c, h, w);
    }

    /// <summary>E.g. <c>Normalize(mean=[0.1307], std=[0.3081])</c>.</summary>
    public override string ToString() => $"Normalize(mean=[{Format(Mean)}], std=[{Format(Std)}])";

    private static string Format(IEnumerable<float> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
