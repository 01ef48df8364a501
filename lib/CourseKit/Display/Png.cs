using System.Buffers.Binary;
using System.IO.Compression;

namespace CourseKit;

/// <summary>
/// A minimal PNG encoder (8-bit grey or RGB, no interlacing): the signature, an IHDR chunk with the size,
/// one IDAT chunk with the zlib-compressed scanlines and an IEND chunk. Enough to show tensors as pictures
/// in notebooks and charts without an imaging library.
/// </summary>
public static class Png
{
    /// <summary>The 8 bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>
    /// Encodes <paramref name="pixels"/> (row-major, <paramref name="channels"/> bytes per pixel: 1 = grey,
    /// 3 = RGB) as a PNG file.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"Png.Encode: width and height must be positive, got {width}×{height}.");
        if (channels is not (1 or 3)) throw new ArgumentException($"Png.Encode: channels must be 1 (grey) or 3 (RGB), got {channels}.");
        int rowBytes = width * channels;
        if (pixels.Length != rowBytes * height)
            throw new ArgumentException($"Png.Encode: expected width·height·channels = {width}·{height}·{channels} = {rowBytes * height} bytes, got {pixels.Length}.");

        // Every scanline starts with a filter-type byte; 0 means "no filter".
        var scanlines = new byte[(rowBytes + 1) * height];
        for (int y = 0; y < height; y++)
            pixels.Slice(y * rowBytes, rowBytes).CopyTo(scanlines.AsSpan(y * (rowBytes + 1) + 1));

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(scanlines);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;                                  // bits per channel
        header[9] = (byte)(channels == 1 ? 0 : 2);      // colour type: 0 = grey, 2 = RGB
        // header[10..12] = 0: deflate compression, adaptive filtering, no interlace

        var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The PNG as a <c>data:image/png;base64,…</c> URI for an <c>&lt;img src&gt;</c>.</summary>
    public static string DataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    /// <summary>A chunk is its length, its 4-letter type, its data and the CRC-32 of type and data.</summary>
    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        stream.Write(buffer);
        var typeAndData = new byte[4 + data.Length];
        for (int i = 0; i < 4; i++) typeAndData[i] = (byte)type[i];
        data.CopyTo(typeAndData, 4);
        stream.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, Crc32(typeAndData));
        stream.Write(buffer);
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>CRC-32 (ISO 3309 polynomial), as the PNG specification requires.</summary>
    internal static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in bytes) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
