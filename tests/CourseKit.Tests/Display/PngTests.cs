using System.Buffers.Binary;
using System.IO.Compression;

namespace CourseKit.Tests.Display;

public class PngTests
{
    /// <summary>Reads back what <see cref="Png.Encode"/> wrote: size, colour type and the pixel bytes.</summary>
    internal static (int Width, int Height, int ColourType, byte[] Pixels) Decode(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(Png.Signature));
        int width = 0, height = 0, colourType = 0;
        var idat = new MemoryStream();
        for (int pos = 8; pos < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length)), Png.Crc32(png.AsSpan(pos + 4, 4 + length)));
            if (type == "IHDR") (width, height, colourType) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data[4..]), data[9]);
            if (type == "IDAT") idat.Write(data);
            pos += 12 + length;
        }
        idat.Position = 0;
        var raw = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(raw);
        int rowBytes = raw.Length > 0 ? (int)raw.Length / height - 1 : 0;
        var pixels = Enumerable.Range(0, height).SelectMany(y => raw.ToArray().Skip(y * (rowBytes + 1) + 1).Take(rowBytes)).ToArray();
        return (width, height, colourType, pixels);
    }

    [Fact]
    public void Crc32_matches_the_check_value_of_the_standard()
    {
        Assert.Equal(0xCBF43926u, Png.Crc32("123456789"u8));
    }

    [Fact]
    public void A_grey_png_decodes_to_the_same_size_and_pixels()
    {
        byte[] pixels = [0, 64, 128, 255, 10, 20];
        var (width, height, colourType, decoded) = Decode(Png.Encode(pixels, width: 3, height: 2, channels: 1));
        Assert.Equal((3, 2, 0), (width, height, colourType));
        Assert.Equal(pixels, decoded);
    }

    [Fact]
    public void An_rgb_image_tensor_is_scaled_to_0_255_and_interleaved()
    {
        // channel 0 (red) = 0, 1; channel 1 (green) = 2, 3; channel 2 (blue) = 4, 5 — range 0…5
        var image = PixelImage.FromTensor(Tensor.Arange(6).Reshape(3, 1, 2));
        var (width, height, colourType, decoded) = Decode(image.ToPng());
        Assert.Equal((2, 1, 2), (width, height, colourType));
        Assert.Equal(new byte[] { 0, 102, 204, 51, 153, 255 }, decoded);
    }

    [Fact]
    public void Encode_rejects_a_buffer_of_the_wrong_size()
    {
        var e = Assert.Throws<ArgumentException>(() => Png.Encode(new byte[5], 3, 2, 1));
        Assert.Contains("6 bytes", e.Message);
    }
}
