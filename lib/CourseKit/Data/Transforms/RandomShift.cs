namespace CourseKit;

/// <summary>
/// Data augmentation for the translation-invariance lecture: moves each image by a random whole number of
/// pixels, up to <see cref="MaxPixels"/> in each direction, filling the uncovered border with zeros. A
/// convolution responds to a moved pattern with a moved response; training on shifted copies teaches the
/// rest of the network to give the same answer wherever the digit sits.
/// </summary>
public sealed class RandomShift : ITransform
{
    /// <summary>The largest shift, in pixels, along each axis.</summary>
    public int MaxPixels { get; }

    /// <summary>Creates the transform.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPixels"/> is negative.</exception>
    public RandomShift(int maxPixels)
    {
        if (maxPixels < 0) throw new ArgumentOutOfRangeException(nameof(maxPixels), maxPixels, "RandomShift: the largest shift cannot be negative.");
        MaxPixels = maxPixels;
    }

    /// <summary>
    /// The shifted images, same size. For each image it draws dy, then dx, uniformly from −MaxPixels … MaxPixels;
    /// the pixel at (y, x) moves to (y + dy, x + dx), so positive dy moves the picture down and positive dx right.
    /// </summary>
    public Tensor Apply(Tensor images, Random random)
    {
        var (values, n, c, h, w) = ImageBatch.Read(images, this);
        var result = new float[values.Length];
        for (int i = 0; i < n; i++)
        {
            int dy = random.Next(-MaxPixels, MaxPixels + 1);
            int dx = random.Next(-MaxPixels, MaxPixels + 1);
            for (int ch = 0; ch < c; ch++)
            {
                int start = (i * c + ch) * h * w;
                ImageBatch.CopyWindow(values.AsSpan(start, h * w), h, w, result.AsSpan(start, h * w), h, w, -dy, -dx);
            }
        }
        return ImageBatch.Wrap(result, images, n, c, h, w);
    }

    /// <summary>E.g. <c>RandomShift(maxPixels=2)</c>.</summary>
    public override string ToString() => $"RandomShift(maxPixels={MaxPixels})";
}
