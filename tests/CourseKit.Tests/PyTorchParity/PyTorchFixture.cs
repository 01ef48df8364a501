using System.Text.Json;

namespace CourseKit.Tests.PyTorchParity;

/// <summary>
/// One case written by Fixtures/PyTorch/generate_fixtures.py: the hyper-parameters (<see cref="Config"/>)
/// and the named tensors PyTorch used and produced (input, weight, output, grad_input, …).
/// </summary>
public sealed class PyTorchFixture
{
    /// <summary>The folder holding the fixtures, copied next to the test assembly by the project file.</summary>
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "PyTorch");

    /// <summary>The case name, which is also the file name without ".json".</summary>
    public string Name { get; }

    /// <summary>The hyper-parameters, as written by the script.</summary>
    public JsonElement Config { get; }

    /// <summary>The whole JSON document (optimiser cases keep "initial" and "steps" here).</summary>
    public JsonElement Root { get; }

    private PyTorchFixture(string name, JsonElement root)
    {
        Name = name;
        Root = root;
        Config = root.GetProperty("config");
    }

    /// <summary>Reads the fixture <paramref name="name"/> (without ".json").</summary>
    public static PyTorchFixture Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json")));
        return new PyTorchFixture(name, document.RootElement.Clone());
    }

    /// <summary>Theory data: the names of all fixtures whose name starts with <paramref name="prefix"/>.</summary>
    public static TheoryData<string> Named(string prefix)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, prefix + "*.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(file));
        if (data.Count == 0) throw new FileNotFoundException($"No PyTorch fixtures named {prefix}*.json in {Folder}.");
        return data;
    }

    /// <summary>True if the fixture holds a tensor called <paramref name="name"/>.</summary>
    public bool Has(string name) => Root.TryGetProperty("tensors", out var tensors) && tensors.TryGetProperty(name, out _);

    /// <summary>The names of the module parameters whose gradients the fixture records (weight, bias, …).</summary>
    public IEnumerable<string> ParameterNames =>
        Root.GetProperty("tensors").EnumerateObject().Select(p => p.Name)
            .Where(n => n.StartsWith("grad_") && n is not ("grad_input" or "grad_output")).Select(n => n["grad_".Length..]);

    /// <summary>The tensor called <paramref name="name"/> (a fresh copy each time).</summary>
    public Tensor this[string name] => ReadTensor(Root.GetProperty("tensors").GetProperty(name));

    /// <summary>An integer hyper-parameter.</summary>
    public int Int(string key) => Config.GetProperty(key).GetInt32();

    /// <summary>A float hyper-parameter.</summary>
    public float Float(string key) => Config.GetProperty(key).GetSingle();

    /// <summary>A boolean hyper-parameter.</summary>
    public bool Bool(string key) => Config.GetProperty(key).GetBoolean();

    /// <summary>A string hyper-parameter.</summary>
    public string String(string key) => Config.GetProperty(key).GetString()!;

    /// <summary>A pair hyper-parameter written as [h, w].</summary>
    public (int H, int W) Pair(string key)
    {
        var p = Config.GetProperty(key);
        return (p[0].GetInt32(), p[1].GetInt32());
    }

    /// <summary>Reads {"shape": [...], "data": [...]} into a tensor.</summary>
    public static Tensor ReadTensor(JsonElement element)
    {
        int[] shape = element.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        float[] data = element.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        return shape.Length == 0 ? Tensor.Scalar(data[0]) : Tensor.FromArray(data, shape);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
