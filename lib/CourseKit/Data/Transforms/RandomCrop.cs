namespace CourseKit;

/// <summary>
/// Data augmentation (like <c>transforms.RandomCrop</c>): pads each image with <see cref="Padding"/> zeros on
/// every side, then cuts out a <see cref="Size"/> × <see cref="Size"/> window at a random position — a fresh
/// position for every image. With padding 4 and size 32, a CIFAR-10 image keeps its size and moves by up
/// to 4 pixels, so the network sees each photo in slightly different places.
/// </summary>
public sealed class RandomCrop : ITransform
{
    /// <summary>The height and width of the crop.</summary>
    public int Size { get; }

    /// <summary>Zeros added on each side before cropping.</summary>
    public int Padding { get; }

    /// <summary>Creates the transform.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not positive or the padding is negative.</exception>
    public RandomCrop(int size, int padding = 0)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "RandomCrop: the crop size must be positive.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "RandomCrop: the padding cannot be negative.");
        Size = size;
        Padding = padding;
    }

    /// <summary>
    /// The cropped images (N, C, Size, Size). For each image it draws the window's top row, then its left
    /// column, uniformly from 0 … (H + 2·Padding − Size), in padded coordinates; all channels share the window.
    /// </summary>
    /// <exception cref="ShapeException">The crop does not fit in the padded image.</exception>
    public Tensor Apply(Tensor images, Random random)
    {
        var (values, n, c, h, w) = ImageBatch.Read(images, this);
        if (Size > h + 2 * Padding || Size > w + 2 * Padding)
            throw new ShapeException($"{this}: the crop must fit in the padded image, size ≤ H + 2·padding and W + 2·padding = {h + 2 * Padding}×{w + 2 * Padding}; got images {images.Shape}.");
        var result = new float[n * c * Size * Size];
        for (int i = 0; i < n; i++)
        {
            int top = random.Next(0, h + 2 * Padding - Size + 1) - Padding;     // in the image's own coordinates
            int left = random.Next(0, w + 2 * Padding - Size + 1) - Padding;
            for (int ch = 0; ch < c; ch++)
                ImageBatch.CopyWindow(values.AsSpan((i * c + ch) * h * w, h * w), h, w,
                                      result.AsSpan((i * c + ch) * Size * Size, Size * Size), Size, Size, top, left);
        }
        return ImageBatch.Wrap(result, images, n, c, Size, Size);
    }

    /// <summary>E.g. <c>RandomCrop(size=32, padding=4)</c>.</summary>
    public override string ToString() => $"RandomCrop(size={Size}, padding={Padding})";
}
