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

    /// <summary>The layer at <paramref name="index"/>, or null past the end.</summary>
    private Module? At(int index) => index < _layers.Count ? _layers[index] : null;

    /// <summary>The i-th layer.</summary>
    public Module this[int index] => _layers[index];

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Count;

    /// <inheritdoc/>
    public override IEnumerable<(string Name, Module Module)> NamedChildren() =>
        _layers.Select((m, i) => (i.ToString(), m));

    /// <summary>
    /// x → layer₀ → layer₁ → … → output. Some runs of layers are computed as one operation, with the same
    /// results up to rounding and fewer passes over memory: Conv2d → ReLU (the ReLU applied as the
    /// convolution writes its outputs; before a MaxPool2d, applied to the pooled values instead, as max and ReLU
    /// commute), BatchNorm2d → ReLU (→ MaxPool2d(2): the full-size activations never
    /// stored), and in evaluation without gradients
    /// (<c>model.Eval()</c> inside <c>Tensor.NoGrad()</c>) Conv2d → BatchNorm2d → ReLU, the normalisation
    /// folded into the filters (<see cref="Conv2d.ForwardFused"/>). While a <see cref="ModelSummary"/>
    /// watches, every layer is called on its own.
    /// </summary>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < _layers.Count; i++)
        {
            var (layer, next, after) = (_layers[i], At(i + 1), At(i + 2));
            if (ForwardHook is null && layer is Conv2d conv && next is BatchNorm2d folded && after is ReLU
                && !Training && !GradMode.IsEnabled && !folded.Training && folded.RunningMean is not null)
            {
                x = conv.ForwardFused(x, folded);                         // Conv2d → BatchNorm2d → ReLU, evaluation
                i += 2;
            }
            else if (ForwardHook is null && layer is Conv2d pooledConv && next is ReLU && after is MaxPool2d reluPool)
            {
                x = reluPool.ForwardAfterRelu(pooledConv.Forward(x));    // Conv2d → ReLU → MaxPool2d, as Conv2d → (MaxPool2d, ReLU)
                i += 2;
            }
            else if (ForwardHook is null && layer is Conv2d withRelu && next is ReLU)
            {
                x = withRelu.ForwardWithRelu(x);                          // Conv2d → ReLU
                i++;
            }
            else if (ForwardHook is null && layer is BatchNorm2d pooled && next is ReLU && after is MaxPool2d { IsHalving: true })
            {
                x = pooled.ForwardWithReluAndPool(x);                     // BatchNorm2d → ReLU → MaxPool2d(2)
                i += 2;
            }
            else if (ForwardHook is null && layer is BatchNorm2d norm && next is ReLU)
            {
                x = norm.ForwardWithRelu(x);                              // BatchNorm2d → ReLU
                i++;
            }
            else x = layer.Call(x);
        }
        return x;
    }

    /// <inheritdoc/>
    public IEnumerator<Module> GetEnumerator() => _layers.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
