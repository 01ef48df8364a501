using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace CourseKit;

/// <summary>
/// Saves and loads named tensors — a model's weights — in the <em>safetensors</em> format used by
/// Hugging Face and readable from PyTorch. A file is:
/// <code>
/// [8 bytes]  N, the header length (unsigned 64-bit, little-endian)
/// [N bytes]  a JSON header, padded with spaces to a multiple of 8 bytes:
///            {"__metadata__": {"format": "pt"},
///             "0.weight": {"dtype": "F32", "shape": [6, 1, 5, 5], "data_offsets": [0, 600]}, …}
/// [rest]     the raw little-endian values of every tensor, at its offsets (counted from the end of the header)
/// </code>
/// Writing is atomic: the file is written under a temporary name in the same folder, flushed to disk and
/// then renamed, so a crash never leaves a half-written weights file behind.
/// </summary>
/// <example><code>
/// model.Save("lenet5.safetensors");
/// var copy = Models.LeNet5();
/// copy.Load("lenet5.safetensors");
/// </code></example>
public static class SafeTensors
{
    /// <summary>The largest header accepted when loading (the reference implementation's limit, 100 MB).</summary>
    private const long MaxHeaderLength = 100_000_000;

    /// <summary>Bytes per value of each element type the loader understands (all are converted to float32).</summary>
    private static readonly Dictionary<string, int> DtypeSizes = new()
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2,
        ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    // ------------------------------------------------------------------ models

    /// <summary>Saves the model's <see cref="Module.StateDict"/> (all parameters and buffers) to a safetensors file.</summary>
    public static void Save(this Module model, string path) => Save(model.StateDict(), path);

    /// <summary>
    /// Loads weights saved by <see cref="Save(Module, string)"/> (or by PyTorch's safetensors) into the model.
    /// With <paramref name="strict"/>, the file must hold exactly the model's tensor names. Every shape is
    /// checked before anything is copied, so a failed load leaves the model unchanged.
    /// </summary>
    public static void Load(this Module model, string path, bool strict = true)
    {
        var state = Load(path);
        var own = model.StateDict();
        if (strict)
        {
            var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
            var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new InvalidDataException(
                    $"'{path}' does not match the model {model.GetType().Name}: " +
                    $"missing {(missing.Count == 0 ? "nothing" : string.Join(", ", missing))}; " +
                    $"unexpected {(unexpected.Count == 0 ? "nothing" : string.Join(", ", unexpected))}. " +
                    "Pass strict: false to load only the tensors whose names match.");
        }
        foreach (var (name, target) in own)
            if (state.TryGetValue(name, out var source) && source.Shape != target.Shape)
                throw new ShapeException($"'{path}': tensor '{name}' has shape {source.Shape} in the file but {target.Shape} in the model.");
        model.LoadStateDict(state, strict: false);
    }

    // ------------------------------------------------------------------ named tensors

    /// <summary>
    /// Writes <paramref name="tensors"/> as float32 to <paramref name="path"/> (replacing any existing file,
    /// atomically). Tensors are stored in name order; <paramref name="metadata"/> adds free-form text entries
    /// to the header's <c>__metadata__</c> (which always holds <c>"format": "pt"</c>).
    /// </summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        if (names.Contains("__metadata__")) throw new ArgumentException("SafeTensors.Save: '__metadata__' is reserved and cannot name a tensor.");
        byte[] header = Header(tensors, names, metadata);

        string fullPath = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                file.Write(length);
                file.Write(header);
                foreach (var name in names)
                {
                    var t = tensors[name];
                    file.Write(MemoryMarshal.AsBytes(t.IsContiguous ? t.Span : t.ToArray()));   // x86/ARM are little-endian, as the format is
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            if (File.Exists(temp)) File.Delete(temp);
            throw;
        }
    }

    /// <summary>Reads every tensor of a safetensors file, converting each to float32; throws <see cref="InvalidDataException"/> naming the file and the problem if it is not a valid file.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var (entries, _, dataStart) = ReadHeader(file, path);
        long dataLength = file.Length - dataStart;
        var result = new Dictionary<string, Tensor>();
        foreach (var e in entries)
        {
            if (e.End > dataLength)
                throw new InvalidDataException($"'{path}' is truncated: tensor '{e.Name}' needs bytes {e.Begin}–{e.End} of the data section, but it holds only {dataLength} bytes.");
            file.Position = dataStart + e.Begin;
            result[e.Name] = new Tensor(ReadValues(file, e, path), new Shape(e.Shape));
        }
        return result;
    }

    /// <summary>The text entries of a file's <c>__metadata__</c> (empty if it has none).</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadHeader(file, path).Metadata;
    }

    // ------------------------------------------------------------------ format details

    /// <summary>One tensor's header entry: name, element type, shape and byte range within the data section.</summary>
    private sealed record Entry(string Name, string Dtype, int[] Shape, long Begin, long End);

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes so the data that follows is aligned.</summary>
    private static byte[] Header(IReadOnlyDictionary<string, Tensor> tensors, List<string> names, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            w.WriteStartObject("__metadata__");
            w.WriteString("format", "pt");
            foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
                if (key != "format") w.WriteString(key, value);
            w.WriteEndObject();
            long offset = 0;
            foreach (var name in names)
            {
                var t = tensors[name];
                w.WriteStartObject(name);
                w.WriteString("dtype", "F32");
                w.WriteStartArray("shape");
                foreach (int d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset += (long)t.Numel * sizeof(float));
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        int padded = (int)(json.Length + 7) / 8 * 8;
        while (json.Length < padded) json.WriteByte((byte)' ');
        return json.ToArray();
    }

    /// <summary>Reads and checks the header; returns its tensor entries in data order, its metadata and where the data section starts.</summary>
    private static (List<Entry> Entries, Dictionary<string, string> Metadata, long DataStart) ReadHeader(FileStream file, string path)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        if (file.Length < 8 || file.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
            throw new InvalidDataException($"'{path}' is not a safetensors file: it is only {file.Length} bytes long, less than the 8-byte header length that starts every safetensors file.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderLength)
            throw new InvalidDataException($"'{path}' is not a safetensors file: its first 8 bytes give a header length of {headerLength} bytes (at most {MaxHeaderLength} is allowed).");
        if ((long)headerLength > file.Length - 8)
            throw new InvalidDataException($"'{path}' is truncated: the header should be {headerLength} bytes long, but only {file.Length - 8} bytes follow the header length.");

        var header = new byte[headerLength];
        file.ReadExactly(header);
        if (header.Length == 0 || header[0] != (byte)'{')
            throw new InvalidDataException($"'{path}' is not a safetensors file: the header after the 8-byte length does not start with '{{'.");
        JsonDocument document;
        try { document = JsonDocument.Parse(header); }
        catch (JsonException e) { throw new InvalidDataException($"'{path}' is not a safetensors file: its header is not valid JSON ({e.Message}).", e); }

        using (document)
        {
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (var item in property.Value.EnumerateObject()) metadata[item.Name] = item.Value.ToString();
                    continue;
                }
                entries.Add(ParseEntry(property, path));
            }
            return (entries.OrderBy(e => e.Begin).ToList(), metadata, 8 + (long)headerLength);
        }
    }

    /// <summary>Checks one tensor's header entry: a known dtype, a valid shape, and offsets that fit its size.</summary>
    private static Entry ParseEntry(JsonProperty property, string path)
    {
        string name = property.Name;
        try
        {
            var v = property.Value;
            string dtype = v.GetProperty("dtype").GetString() ?? "";
            if (!DtypeSizes.TryGetValue(dtype, out int size))
                throw new InvalidDataException($"'{path}': tensor '{name}' has dtype \"{dtype}\", which CourseKit cannot read (it reads {string.Join(", ", DtypeSizes.Keys)}).");
            var shape = v.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            var offsets = v.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
            long numel = 1;
            foreach (int d in shape)
            {
                if (d < 0) throw new InvalidDataException($"'{path}': tensor '{name}' has a negative size in its shape [{string.Join(", ", shape)}].");
                numel *= d;
                if (numel > int.MaxValue) throw new InvalidDataException($"'{path}': tensor '{name}' with shape [{string.Join(", ", shape)}] has more than {int.MaxValue} values.");
            }
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] - offsets[0] != numel * size)
                throw new InvalidDataException($"'{path}': tensor '{name}' ({dtype}, shape [{string.Join(", ", shape)}]) should occupy {numel * size} bytes, but its data_offsets are [{string.Join(", ", offsets)}].");
            return new Entry(name, dtype, shape, offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{path}': the header entry of tensor '{name}' needs \"dtype\" (a string), \"shape\" and \"data_offsets\" (arrays of integers) — {e.Message}", e);
        }
    }

    /// <summary>Reads one tensor's values at the stream's position, converting them to float32.</summary>
    private static float[] ReadValues(FileStream file, Entry e, string path)
    {
        int count = (int)((e.End - e.Begin) / DtypeSizes[e.Dtype]);
        var values = new float[count];
        if (e.Dtype == "F32")
        {
            file.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }
        var bytes = new byte[e.End - e.Begin];
        file.ReadExactly(bytes);
        for (int i = 0; i < count; i++)
            values[i] = e.Dtype switch
            {
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 * i)),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(2 * i)),
                "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(2 * i)) << 16),  // bfloat16 = the top half of a float32
                "I64" => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8 * i)),
                "I32" => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * i)),
                "I16" => BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i)),
                "I8" => (sbyte)bytes[i],
                "U8" or "BOOL" => bytes[i],
                _ => throw new InvalidDataException($"'{path}': tensor '{e.Name}' has unsupported dtype \"{e.Dtype}\"."),
            };
        return values;
    }
}
