using System.Reflection;
using System.Text;

namespace CourseKit;

/// <summary>
/// Base class of every layer and model (like <c>nn.Module</c>). Subclasses declare their weights as
/// <see cref="Parameter"/> fields and their sub-layers as <see cref="Module"/> fields, and override
/// <see cref="Forward"/>; the module finds them by reflection, in declaration order, so that
/// <see cref="Parameters"/>, <see cref="StateDict"/>, <see cref="Train"/> and <see cref="Eval"/>
/// reach the whole tree. Names follow PyTorch: a field <c>Conv1</c> holding a Conv2d with a
/// <c>Weight</c> gives the parameter name <c>conv1.weight</c>.
/// </summary>
/// <example>
/// <code>
/// class TinyNet : Module
/// {
///     Conv2d conv = new(1, 8, kernelSize: 3, padding: 1);
///     Linear fc = new(8 * 28 * 28, 10);
///     public override Tensor Forward(Tensor x) => fc.Call(conv.Call(x).Relu().Flatten(1));
/// }
/// </code>
/// </example>
public abstract class Module
{
    /// <summary>True in training mode (Dropout drops, BatchNorm uses batch statistics); false after <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>The computation of this layer: input → output.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>
    /// Runs <see cref="Forward"/> (like calling <c>model(x)</c> in PyTorch) and lets observers such as
    /// <see cref="ModelSummary"/> see each layer's output. Call sub-layers with <c>Call</c> too.
    /// </summary>
    public Tensor Call(Tensor input)
    {
        var output = Forward(input);
        ForwardHook?.Invoke(this, input, output);
        return output;
    }

    /// <summary>Observer of every <see cref="Call"/> on this thread (used by <see cref="ModelSummary"/>).</summary>
    [ThreadStatic] internal static Action<Module, Tensor, Tensor>? ForwardHook;

    /// <summary>Switches this module and all sub-modules to training mode (or evaluation mode when <paramref name="mode"/> is false).</summary>
    public Module Train(bool mode = true)
    {
        Training = mode;
        foreach (var (_, child) in NamedChildren()) child.Train(mode);
        return this;
    }

    /// <summary>Switches to evaluation mode: Dropout becomes the identity, BatchNorm uses its running statistics.</summary>
    public Module Eval() => Train(false);

    /// <summary>The direct sub-modules with their names.</summary>
    public virtual IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        foreach (var (name, value) in Members())
            if (value is Module m) yield return (name, m);
            else if (value is IEnumerable<Module> list)
            {
                int i = 0;
                foreach (var item in list) yield return ($"{name}.{i++}", item);
            }
    }

    /// <summary>Every learnable weight in this module and its sub-modules, with dotted names like <c>0.weight</c>.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        foreach (var (name, value) in Members())
            if (value is Parameter p) yield return (name, p);
        foreach (var (childName, child) in NamedChildren())
            foreach (var (name, p) in child.NamedParameters())
                yield return ($"{childName}.{name}", p);
    }

    /// <summary>Every learnable weight, for an optimiser: <c>new Adam(model.Parameters(), lr: 1e-3f)</c>.</summary>
    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Non-learned state (fields marked <see cref="BufferAttribute"/>), with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (name, value) in Members(buffers: true))
            if (value is Tensor t) yield return (name, t);
        foreach (var (childName, child) in NamedChildren())
            foreach (var (name, b) in child.NamedBuffers())
                yield return ($"{childName}.{name}", b);
    }

    /// <summary>Number of learnable values (the "Param #" column of a summary).</summary>
    public long ParameterCount => Parameters().Sum(p => (long)p.Numel);

    /// <summary>All parameters and buffers by name — what is saved to and loaded from a weights file.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var dict = new Dictionary<string, Tensor>();
        foreach (var (name, p) in NamedParameters()) dict[name] = p;
        foreach (var (name, b) in NamedBuffers()) dict[name] = b;
        return dict;
    }

    /// <summary>
    /// Copies values from <paramref name="state"/> into this module's parameters and buffers.
    /// With <paramref name="strict"/>, missing or unexpected names are an error; shapes must always match.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        if (strict)
        {
            var missing = own.Keys.Except(state.Keys).ToList();
            var unexpected = state.Keys.Except(own.Keys).ToList();
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new ArgumentException($"LoadStateDict: missing {(missing.Count == 0 ? "nothing" : string.Join(", ", missing))}; unexpected {(unexpected.Count == 0 ? "nothing" : string.Join(", ", unexpected))}.");
        }
        using var _ = Tensor.NoGrad();
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source)) continue;
            if (source.Shape != target.Shape)
                throw new ShapeException($"LoadStateDict: '{name}' has shape {target.Shape} in the model but {source.Shape} in the state.");
            target.CopyFrom(source);
        }
    }

    /// <summary>Clears the gradients of all parameters (call before each backward pass, or use the optimiser's ZeroGrad).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>The hyper-parameters shown in <see cref="ToString"/>, e.g. <c>3, 6, kernel_size=(5, 5)</c>.</summary>
    protected virtual string ExtraRepr() => "";

    /// <summary>A PyTorch-style print-out of the module tree.</summary>
    public override string ToString()
    {
        var children = NamedChildren().ToList();
        var sb = new StringBuilder(GetType().Name).Append('(').Append(ExtraRepr());
        if (children.Count > 0)
        {
            sb.AppendLine();
            foreach (var (name, child) in children)
                sb.Append("  (").Append(name).Append("): ").AppendLine(child.ToString().Replace("\n", "\n  "));
        }
        return sb.Append(')').ToString();
    }

    // ------------------------------------------------------------------ reflection over declared members

    private List<(string Name, object? Value)> Members(bool buffers = false)
    {
        var result = new List<(string, object?)>();
        var chain = new Stack<Type>();
        for (var t = GetType(); t is not null && t != typeof(Module); t = t.BaseType) chain.Push(t);
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var type in chain)
            foreach (var field in type.GetFields(flags))
            {
                var (name, attributes) = Describe(type, field);
                bool isBuffer = attributes.OfType<BufferAttribute>().Any();
                if (buffers != isBuffer) continue;
                if (!buffers && !typeof(Parameter).IsAssignableFrom(field.FieldType) && !typeof(Module).IsAssignableFrom(field.FieldType)
                    && !typeof(IEnumerable<Module>).IsAssignableFrom(field.FieldType)) continue;
                result.Add((name, field.GetValue(this)));
            }
        return result;
    }

    /// <summary>The PyTorch-style name of a field (auto-properties use their property's name) and its attributes.</summary>
    private static (string Name, IEnumerable<Attribute> Attributes) Describe(Type type, FieldInfo field)
    {
        var attributes = field.GetCustomAttributes().ToList();
        string raw = field.Name;
        if (raw.StartsWith('<') && raw.Contains('>'))
        {
            raw = raw[1..raw.IndexOf('>')];
            var property = type.GetProperty(raw, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
            if (property is not null) attributes.AddRange(property.GetCustomAttributes());
        }
        return (SnakeCase(raw.TrimStart('_')), attributes);
    }

    /// <summary>RunningMean → running_mean, Conv1 → conv1, FC1 → fc1.</summary>
    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
