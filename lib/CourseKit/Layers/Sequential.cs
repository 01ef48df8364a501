using System.Collections;

namespace CourseKit;

/// <summary>Layers applied one after another (like <c>nn.Sequential</c>); children are named 0, 1, 2, …</summary>
public sealed class Sequential : Module, IEnumerable<Module>
{
    private readonly List<Module> _layers = [];

    /// <summary>Creates the sequence; more layers can be added with <see cref="Add"/> or a collection initialiser.</summary>
    public Sequential(params Module[] layers) => _layers.AddRange(layers);

    /// <summary>Appends a layer.</summary>
    public void Add(Module layer) => _layers.Add(layer);

    /// <summary>The i-th layer.</summary>
    public Module this[int index] => _layers[index];

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Count;

    /// <inheritdoc/>
    public override IEnumerable<(string Name, Module Module)> NamedChildren() =>
        _layers.Select((m, i) => (i.ToString(), m));

    /// <summary>x → layer₀ → layer₁ → … → output.</summary>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Call(x);
        return x;
    }

    /// <inheritdoc/>
    public IEnumerator<Module> GetEnumerator() => _layers.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
