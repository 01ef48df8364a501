namespace CourseKit;

/// <summary>The plumbing the image transforms share: reading a batch or a single image, and copying a window of an image.</summary>
internal static class ImageBatch
{
    /// <summary>
    /// A copy of the values of <paramref name="images"/> — a batch (N, C, H, W) or one image (C, H, W), read as N = 1 —
    /// and its sizes.
    /// </summary>
    /// <exception cref="ShapeException">The tensor is neither.</exception>
    public static (float[] Values, int N, int C, int H, int W) Read(Tensor images, ITransform transform)
    {
        var s = images.Shape;
        if (s.Rank == 4) return (images.ToArray(), s[0], s[1], s[2], s[3]);
        if (s.Rank == 3) return (images.ToArray(), 1, s[0], s[1], s[2]);
        throw new ShapeException($"{transform}: expected images (N, C, H, W) or one image (C, H, W), got {s}.");
    }

    /// <summary>Wraps transformed values in a tensor of the input's kind: a batch, or one image when <paramref name="like"/> was one.</summary>
    public static Tensor Wrap(float[] values, Tensor like, int n, int c, int h, int w) =>
        like.Rank == 3 ? new Tensor(values, new Shape(c, h, w)) : new Tensor(values, new Shape(n, c, h, w));

    /// <summary>
    /// Copies the <paramref name="outHeight"/> × <paramref name="outWidth"/> window whose top-left corner is at
    /// (<paramref name="top"/>, <paramref name="left"/>) of the <paramref name="height"/> × <paramref name="width"/>
    /// plane <paramref name="source"/> into <paramref name="destination"/>; where the window leaves the image
    /// (negative or too large coordinates) it reads zeros. Crops, padding and shifts are all such windows.
    /// </summary>
    public static void CopyWindow(ReadOnlySpan<float> source, int height, int width,
                                  Span<float> destination, int outHeight, int outWidth, int top, int left)
    {
        destination[..(outHeight * outWidth)].Clear();
        int x0 = Math.Max(0, -left), x1 = Math.Min(outWidth, width - left);    // output columns that read inside the image
        if (x1 <= x0) return;
        for (int y = 0; y < outHeight; y++)
        {
            int sourceRow = top + y;
            if (sourceRow < 0 || sourceRow >= height) continue;
            source.Slice(sourceRow * width + left + x0, x1 - x0).CopyTo(destination.Slice(y * outWidth + x0, x1 - x0));
        }
    }
}
