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

    /// <summary>
    /// x → layer₀ → layer₁ → … → output. In evaluation without gradients (<c>model.Eval()</c> inside
    /// <c>Tensor.NoGrad()</c>), Conv2d → ReLU and Conv2d → BatchNorm2d → ReLU run as one convolution with
    /// the normalisation folded into its filters and the ReLU applied as each output is written
    /// (<see cref="Conv2d.ForwardFused"/>): the same numbers up to rounding, with two passes over memory fewer.
    /// Otherwise BatchNorm2d → ReLU runs as one operation (also in training; its backward is one too).
    /// Layers are called one by one while a <see cref="ModelSummary"/> watches.
    /// </summary>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < _layers.Count; i++)
        {
            if (!Training && !GradMode.IsEnabled && ForwardHook is null && _layers[i] is Conv2d conv)
            {
                int next = i + 1;
                var norm = next < _layers.Count && _layers[next] is BatchNorm2d bn && !bn.Training && bn.RunningMean is not null ? bn : null;
                if (norm is not null) next++;
                if (next < _layers.Count && _layers[next] is ReLU)
                {
                    x = conv.ForwardFused(x, norm);
                    i = next;
                    continue;
                }
            }
            if (ForwardHook is null && _layers[i] is BatchNorm2d norm2d && i + 1 < _layers.Count && _layers[i + 1] is ReLU)
            {
                x = norm2d.ForwardWithRelu(x);                        // BatchNorm2d → ReLU: one pass, one activation stored
                i++;
                continue;
            }
            x = _layers[i].Call(x);
        }
        return x;
    }

    /// <inheritdoc/>
    public IEnumerator<Module> GetEnumerator() => _layers.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
