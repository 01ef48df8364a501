using System.Buffers.Binary;
using System.IO.Compression;

namespace CourseKit;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST, gzip-compressed (<c>.gz</c>) or not. All header
/// integers are big-endian.
/// <code>
/// images: 0x00000803 (2051), count, rows, columns, then count × rows × columns bytes (row-major, 0 = background)
/// labels: 0x00000801 (2049), count, then count bytes (the class indices)
/// </code>
/// </summary>
internal static class Idx
{
    /// <summary>The magic number that starts an image file: unsigned bytes (0x08), three dimensions.</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>The magic number that starts a label file: unsigned bytes (0x08), one dimension.</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>The class index of every item in a label file.</summary>
    public static byte[] ReadLabels(string path)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path, LabelsMagic, 1);
        return ReadBody(stream, path, header[0]);
    }

    /// <summary>The pixels of every image in an image file (count × rows × columns bytes) and the three sizes.</summary>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path, ImagesMagic, 3);
        int count = header[0], rows = header[1], columns = header[2];
        return (ReadBody(stream, path, (long)count * rows * columns), count, rows, columns);
    }

    /// <summary>The file's content: decompressed on the fly for <c>.gz</c>.</summary>
    public static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Reads the magic number and the size of each dimension.</summary>
    public static int[] ReadHeader(Stream stream, string path, int magic, int dimensions)
    {
        var bytes = new byte[4 * (1 + dimensions)];
        ReadAll(stream, bytes, path);
        int found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found != magic)
            throw new InvalidDataException($"{path} is not an IDX {(magic == ImagesMagic ? "image" : "label")} file: it starts with 0x{found:x8}, expected 0x{magic:x8}.");
        var sizes = new int[dimensions];
        for (int i = 0; i < dimensions; i++)
        {
            sizes[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 * (i + 1)));
            if (sizes[i] < 0) throw new InvalidDataException($"{path}: the IDX header gives a negative size ({sizes[i]}).");
        }
        return sizes;
    }

    private static byte[] ReadBody(Stream stream, string path, long length)
    {
        if (length > Array.MaxLength) throw new InvalidDataException($"{path}: the IDX header announces {length:N0} bytes, more than fit in memory.");
        var body = new byte[length];
        ReadAll(stream, body, path);
        if (stream.ReadByte() != -1) throw new InvalidDataException($"{path} has bytes after the {length:N0} that its IDX header announces.");
        return body;
    }

    private static void ReadAll(Stream stream, byte[] buffer, string path)
    {
        try { stream.ReadExactly(buffer); }
        catch (EndOfStreamException) { throw new InvalidDataException($"{path} ends early (while reading a block of {buffer.Length:N0} bytes): the file is truncated."); }
    }
}
