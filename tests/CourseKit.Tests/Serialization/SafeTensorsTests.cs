using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace CourseKit.Tests.Serialization;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("coursekit-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    /// <summary>A small CNN with parameters and BatchNorm buffers.</summary>
    private static Module SmallCnn(int seed, int hidden = 8)
    {
        Rng.ManualSeed(seed);
        return new Sequential(
            new Conv2d(1, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(4 * 4 * 4, hidden), new ReLU(), new Linear(hidden, 3));
    }

    /// <summary>A CNN whose BatchNorm running statistics are no longer the defaults.</summary>
    private static Module TrainedCnn()
    {
        var model = SmallCnn(seed: 1);
        using (Tensor.NoGrad()) model.Call(Tensor.Randn(5, 1, 8, 8) * 3f + 1f);
        return model;
    }

    [Fact]
    public void Round_trip_restores_identical_outputs()
    {
        var model = TrainedCnn();
        string path = PathOf("cnn.safetensors");
        model.Save(path);

        var copy = SmallCnn(seed: 2);
        var x = Tensor.Randn(2, 1, 8, 8);
        Assert.NotEqual(model.Eval().Call(x).ToArray(), copy.Eval().Call(x).ToArray());
        copy.Load(path);
        Assert.Equal(model.Call(x).ToArray(), copy.Call(x).ToArray());
        foreach (var (name, tensor) in model.StateDict())
            Assert.Equal(tensor.ToArray(), copy.StateDict()[name].ToArray());
    }

    [Fact]
    public void File_starts_with_the_8_byte_header_length_then_a_json_header()
    {
        var model = SmallCnn(seed: 1);
        string path = PathOf("cnn.safetensors");
        model.Save(path);

        byte[] bytes = File.ReadAllBytes(path);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, n % 8);                                   // padded so the data is 8-byte aligned
        Assert.Equal((byte)'{', bytes[8]);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n));
        var conv = header.RootElement.GetProperty("0.weight");
        Assert.Equal("F32", conv.GetProperty("dtype").GetString());
        Assert.Equal(new[] { 4, 1, 3, 3 }, conv.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("pt", header.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());

        long values = model.StateDict().Values.Sum(t => (long)t.Numel);
        Assert.Equal(8 + (long)n + 4 * values, bytes.Length);
        long begin = conv.GetProperty("data_offsets")[0].GetInt64();
        Assert.Equal(model.StateDict()["0.weight"].ToArray()[0], BitConverter.ToSingle(bytes, 8 + (int)n + (int)begin));
    }

    [Fact]
    public void Save_leaves_no_temporary_file_and_replaces_an_existing_file()
    {
        string path = PathOf("weights.safetensors");
        File.WriteAllText(path, "an older file");
        var tensors = new Dictionary<string, Tensor> { ["w"] = Tensor.Of(1, 2, 3) };
        SafeTensors.Save(tensors, path, new Dictionary<string, string> { ["epoch"] = "12" });

        Assert.Equal(new[] { "weights.safetensors" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
        Assert.Equal(new float[] { 1, 2, 3 }, SafeTensors.Load(path)["w"].ToArray());
        Assert.Equal("12", SafeTensors.ReadMetadata(path)["epoch"]);
    }

    [Fact]
    public void Saving_into_a_missing_folder_reports_the_folder()
    {
        var tensors = new Dictionary<string, Tensor> { ["w"] = Tensor.Of(1) };
        Assert.Throws<DirectoryNotFoundException>(() => SafeTensors.Save(tensors, PathOf("no/such/folder/w.safetensors")));
    }

    [Fact]
    public void Non_contiguous_tensors_are_saved_in_row_major_order()
    {
        string path = PathOf("t.safetensors");
        var transposed = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }).T;
        SafeTensors.Save(new Dictionary<string, Tensor> { ["t"] = transposed }, path);
        var loaded = SafeTensors.Load(path)["t"];
        Assert.Equal(new Shape(3, 2), loaded.Shape);
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, loaded.ToArray());
    }

    [Fact]
    public void A_truncated_file_gives_an_error_naming_the_file()
    {
        string path = PathOf("cut.safetensors");
        SmallCnn(seed: 1).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);

        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);

        File.WriteAllBytes(path, bytes[..100]);                       // cut inside the header
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
    }

    [Fact]
    public void A_file_of_another_kind_is_not_taken_for_weights()
    {
        string path = PathOf("notes.safetensors");
        File.WriteAllText(path, "hi");
        Assert.Contains("not a safetensors file", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);

        File.WriteAllText(path, "This is a text file, not weights.");
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not a safetensors file", e.Message);
    }

    [Fact]
    public void An_unknown_dtype_is_named_in_the_error()
    {
        string path = PathOf("complex.safetensors");
        WriteRaw(path, """{"z":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}""", new byte[8]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("'z'", e.Message);
        Assert.Contains("C64", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Offsets_that_disagree_with_the_shape_are_rejected()
    {
        string path = PathOf("bad.safetensors");
        WriteRaw(path, """{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}""", new byte[12]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("'w'", e.Message);
        Assert.Contains("16 bytes", e.Message);
    }

    [Fact]
    public void Loading_into_a_model_of_another_shape_names_the_tensor_and_both_shapes()
    {
        string path = PathOf("cnn.safetensors");
        SmallCnn(seed: 1, hidden: 8).Save(path);
        var other = SmallCnn(seed: 2, hidden: 9);
        var before = other.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

        var e = Assert.Throws<ShapeException>(() => other.Load(path));
        Assert.Contains("'5.weight'", e.Message);
        Assert.Contains("(8, 64)", e.Message);
        Assert.Contains("(9, 64)", e.Message);
        foreach (var (name, tensor) in other.StateDict())                // nothing was half-loaded
            Assert.Equal(before[name], tensor.ToArray());
    }

    [Fact]
    public void Strict_loading_lists_missing_and_unexpected_names()
    {
        string path = PathOf("partial.safetensors");
        var model = SmallCnn(seed: 1);
        var state = model.StateDict().Where(kv => kv.Key != "7.bias").ToDictionary();
        state["extra"] = Tensor.Of(1);
        SafeTensors.Save(state, path);

        var e = Assert.Throws<InvalidDataException>(() => SmallCnn(seed: 2).Load(path));
        Assert.Contains("missing 7.bias", e.Message);
        Assert.Contains("unexpected extra", e.Message);

        var copy = SmallCnn(seed: 2);
        copy.Load(path, strict: false);
        Assert.Equal(model.StateDict()["7.weight"].ToArray(), copy.StateDict()["7.weight"].ToArray());
    }

    [Fact]
    public void Reads_a_file_written_with_PyTorch()
    {
        // Fixtures/SafeTensors/write_with_pytorch.py wrote F32, F16, BF16 and I64 tensors; all load as float32.
        var tensors = SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "SafeTensors", "pytorch_written.safetensors"));
        Assert.Equal(new Shape(2, 3, 2, 2), tensors["conv.weight"].Shape);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => i / 8f - 1f), tensors["conv.weight"].ToArray());
        Assert.Equal(new float[] { 0.5f, -0.25f }, tensors["conv.bias"].ToArray());
        Assert.Equal(new Shape(1, 3), tensors["fc.weight"].Shape);
        Assert.Equal(new float[] { 1.5f, -2f, 3f }, tensors["fc.weight"].ToArray());
        Assert.Equal(0, tensors["bn.num_batches_tracked"].Rank);
        Assert.Equal(7f, tensors["bn.num_batches_tracked"].Item());
    }

    /// <summary>Writes a file with the given header text and data, padding the header as the format asks.</summary>
    private static void WriteRaw(string path, string header, byte[] data)
    {
        var text = Encoding.UTF8.GetBytes(header.PadRight((header.Length + 7) / 8 * 8));
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)text.Length);
        File.WriteAllBytes(path, [.. length, .. text, .. data]);
    }
}
