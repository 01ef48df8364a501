namespace CourseKit;

/// <summary>
/// An 8-bit picture made from an image tensor: <c>(H, W)</c> or <c>(1, H, W)</c> gives grey, <c>(3, H, W)</c>
/// gives RGB. Values are scaled linearly from [<c>low</c>, <c>high</c>] (by default the tensor's own minimum
/// and maximum) to 0…255, so normalised inputs, filters and activations all become visible.
/// </summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Number of rows.</param>
/// <param name="Channels">1 (grey) or 3 (RGB).</param>
/// <param name="Pixels">Row-major bytes, <paramref name="Channels"/> per pixel (RGB interleaved).</param>
public sealed record PixelImage(int Width, int Height, int Channels, byte[] Pixels)
{
    /// <summary>Whether <paramref name="shape"/> is an image: (H, W), (1, H, W) or (3, H, W).</summary>
    public static bool IsImageShape(Shape shape) =>
        shape.Rank == 2 || (shape.Rank == 3 && shape[0] is 1 or 3);

    /// <summary>Converts an image tensor (see the class summary) to 8-bit pixels.</summary>
    public static PixelImage FromTensor(Tensor image, float? low = null, float? high = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!IsImageShape(image.Shape))
            throw new ShapeException($"PixelImage: expected an image of shape (H, W), (1, H, W) or (3, H, W), got {image.Shape}.");
        int channels = image.Rank == 2 ? 1 : image.Size(0);
        int height = image.Size(-2), width = image.Size(-1);
        var values = image.ToArray();                  // channel-major: c·H·W + y·W + x
        float lo = low ?? (values.Length == 0 ? 0 : values.Min());
        float hi = high ?? (values.Length == 0 ? 0 : values.Max());
        float scale = hi > lo ? 255f / (hi - lo) : 0f;

        var pixels = new byte[width * height * channels];
        int plane = width * height;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < plane; i++)
                pixels[i * channels + c] = (byte)Math.Clamp(MathF.Round((values[c * plane + i] - lo) * scale), 0, 255);
        return new PixelImage(width, height, channels, pixels);
    }

    /// <summary>The picture as a PNG file.</summary>
    public byte[] ToPng() => Png.Encode(Pixels, Width, Height, Channels);

    /// <summary>The picture as a <c>data:image/png;base64,…</c> URI.</summary>
    public string ToDataUri() => Png.DataUri(ToPng());
}
