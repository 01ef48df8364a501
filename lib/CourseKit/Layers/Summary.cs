using System.Globalization;
using System.Text;

namespace CourseKit;

/// <summary>Adds <see cref="Summary"/> to every <see cref="Module"/> (like Keras' <c>model.summary()</c>).</summary>
public static class SummaryExtensions
{
    /// <summary>
    /// Runs one image of shape <paramref name="inputShape"/> (without the batch axis, e.g. <c>1, 28, 28</c>)
    /// through the model and tabulates every layer: its output shape, its parameters and the activation
    /// memory it needs per image. The forward pass runs in evaluation mode without recording gradients; the
    /// model's train/eval modes are restored afterwards and its weights are not changed.
    /// </summary>
    /// <example><code>Console.WriteLine(Models.LeNet5().Summary(1, 28, 28));</code></example>
    public static ModelSummary Summary(this Module model, params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (inputShape is null || inputShape.Length == 0 || inputShape.Any(d => d <= 0))
            throw new ArgumentException($"Summary: give the shape of one input without the batch axis, e.g. Summary(1, 28, 28); got ({string.Join(", ", inputShape ?? [])}).");

        var paths = new Dictionary<Module, string>(ReferenceEqualityComparer.Instance);
        var modes = new List<(Module Module, bool Training)>();
        Walk(model, "", paths, modes);

        var rows = new List<SummaryRow>();
        var previousHook = Module.ForwardHook;
        Module.ForwardHook = (module, input, output) =>
        {
            previousHook?.Invoke(module, input, output);
            if (!module.NamedChildren().Any())
                rows.Add(SummaryRow.For(module, paths.GetValueOrDefault(module, ""), input, output));
        };
        try
        {
            model.Eval();
            using var _ = Tensor.NoGrad();
            model.Call(Tensor.Zeros([1, .. inputShape]));
        }
        finally
        {
            Module.ForwardHook = previousHook;
            foreach (var (module, training) in modes) module.Train(training);   // parents first, so children keep their own mode
        }
        return new ModelSummary(model, new Shape(inputShape), rows);
    }

    /// <summary>Records each module's dotted name and training mode, parents before children.</summary>
    private static void Walk(Module module, string path, Dictionary<Module, string> paths, List<(Module, bool)> modes)
    {
        paths.TryAdd(module, path);
        modes.Add((module, module.Training));
        foreach (var (name, child) in module.NamedChildren())
            Walk(child, path.Length == 0 ? name : $"{path}.{name}", paths, modes);
    }
}

/// <summary>
/// One layer of a <see cref="ModelSummary"/>: a leaf module (one without sub-modules) and what one image
/// produced when it passed through.
/// </summary>
/// <param name="Path">The module's dotted name in the model, e.g. <c>0</c> or <c>features.3</c> (empty for the model itself).</param>
/// <param name="Type">The layer's class, e.g. <c>Conv2d</c>.</param>
/// <param name="OutputShape">The output shape for one image, without the batch axis, e.g. (6, 28, 28).</param>
/// <param name="Parameters">The number of learnable values in the layer.</param>
/// <param name="OutputValues">The number of values the layer outputs per image.</param>
/// <param name="CountsAsActivation">
/// Whether the output is stored as a new activation. False for layers without parameters that keep the
/// number of values — ReLU, Dropout, Flatten and other activations — which the lecture's accounting treats
/// as working in place or as views of the previous output.
/// </param>
public sealed record SummaryRow(string Path, string Type, Shape OutputShape, long Parameters, long OutputValues, bool CountsAsActivation)
{
    /// <summary>The name shown in the table, e.g. <c>0 (Conv2d)</c>.</summary>
    public string Layer => Path.Length == 0 ? Type : $"{Path} ({Type})";

    /// <summary>Activation values stored for this layer per image (0 if it works in place).</summary>
    public long ActivationValues => CountsAsActivation ? OutputValues : 0;

    /// <summary>The output shape with the batch axis shown as N, e.g. <c>(N, 6, 28, 28)</c>.</summary>
    public string OutputShapeText => OutputShape.Rank == 0 ? "()" : $"(N, {string.Join(", ", OutputShape)})";

    internal static SummaryRow For(Module module, string path, Tensor input, Tensor output)
    {
        long parameters = module.ParameterCount;
        var perImage = new Shape(output.Rank == 0 ? [] : output.Shape.ToArray()[1..]);
        bool stored = parameters > 0 || output.Numel != input.Numel;
        return new SummaryRow(path, module.GetType().Name, perImage, parameters, output.Numel, stored);
    }
}

/// <summary>
/// A Keras-style table of a model's layers, output shapes, parameter counts and memory per image,
/// made by <see cref="SummaryExtensions.Summary"/>. Memory is counted for float32 values (4 bytes) in
/// MB of 10⁶ bytes.
/// <para>
/// Activation accounting follows the lecture's VGG-16 table: the output of every convolution, pooling,
/// fully-connected (and normalisation) layer counts once; ReLU, Dropout and Flatten add nothing because
/// they work in place or return views. For VGG-16 this gives 15,087,080 values (60.3 MB) per image, or
/// 15,237,608 values (61.0 MB) together with the 3×224×224 input. (The lecture's quoted total
/// "24M × 4 bytes ≈ 96 MB" does not match the sum of its own per-layer list, which is ≈ 15.2 M.)
/// </para>
/// </summary>
public sealed class ModelSummary
{
    private const double BytesPerValue = sizeof(float), BytesPerMegabyte = 1e6;

    internal ModelSummary(Module model, Shape inputShape, List<SummaryRow> rows)
    {
        ModelName = model.GetType().Name;
        InputShape = inputShape;
        Rows = rows;
        TotalParameters = model.ParameterCount;
        TrainableParameters = model.Parameters().Where(p => p.RequiresGrad).Sum(p => (long)p.Numel);
        var modules = Descendants(model).ToList();
        ConvParameters = modules.OfType<Conv2d>().Sum(m => m.ParameterCount);
        FullyConnectedParameters = modules.OfType<Linear>().Sum(m => m.ParameterCount);
    }

    /// <summary>The model's class name, e.g. <c>Sequential</c>.</summary>
    public string ModelName { get; }

    /// <summary>The shape of one input image, without the batch axis.</summary>
    public Shape InputShape { get; }

    /// <summary>One row per leaf layer call, in the order the forward pass ran them.</summary>
    public IReadOnlyList<SummaryRow> Rows { get; }

    /// <summary>All learnable values in the model.</summary>
    public long TotalParameters { get; }

    /// <summary>Learnable values that an optimiser will update (<see cref="Tensor.RequiresGrad"/> is true).</summary>
    public long TrainableParameters { get; }

    /// <summary>Parameters that are frozen (<see cref="Tensor.RequiresGrad"/> turned off).</summary>
    public long NonTrainableParameters => TotalParameters - TrainableParameters;

    /// <summary>Parameters of the <see cref="Conv2d"/> layers (weights and biases).</summary>
    public long ConvParameters { get; }

    /// <summary>Parameters of the fully-connected <see cref="Linear"/> layers.</summary>
    public long FullyConnectedParameters { get; }

    /// <summary>All other parameters, e.g. BatchNorm's γ and β.</summary>
    public long OtherParameters => TotalParameters - ConvParameters - FullyConnectedParameters;

    /// <summary>The memory of the parameters in float32, in MB.</summary>
    public double ParameterMegabytes => TotalParameters * BytesPerValue / BytesPerMegabyte;

    /// <summary>Values in one input image.</summary>
    public long InputValues => InputShape.Numel;

    /// <summary>Activation values stored per image during the forward pass (see the class remarks for which layers count).</summary>
    public long ActivationValues => Rows.Sum(r => r.ActivationValues);

    /// <summary>The memory of <see cref="ActivationValues"/> in float32, in MB per image.</summary>
    public double ActivationMegabytes => ActivationValues * BytesPerValue / BytesPerMegabyte;

    /// <summary>Input plus activations: all values a forward pass keeps per image.</summary>
    public long ForwardValues => InputValues + ActivationValues;

    /// <summary>The memory of <see cref="ForwardValues"/> in float32, in MB per image.</summary>
    public double ForwardMegabytes => ForwardValues * BytesPerValue / BytesPerMegabyte;

    /// <summary>The table, in the style of Keras' <c>model.summary()</c>.</summary>
    public override string ToString()
    {
        static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        static string MB(double mb) => mb.ToString("0.00", CultureInfo.InvariantCulture) + " MB";

        string[] header = ["Layer (type)", "Output Shape", "Param #", "Activations"];
        var cells = Rows.Select(r => new[] { r.Layer, r.OutputShapeText, N(r.Parameters), r.CountsAsActivation ? N(r.ActivationValues) : "in place" }).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => cells.Select(row => row[c].Length).Append(header[c].Length).Max()).ToArray();
        string Line(string[] row) =>
            $"{row[0].PadRight(widths[0])}   {row[1].PadRight(widths[1])}   {row[2].PadLeft(widths[2])}   {row[3].PadLeft(widths[3])}".TrimEnd();
        int width = widths.Sum() + 9;

        var sb = new StringBuilder();
        sb.AppendLine($"Model: \"{ModelName}\"   input (N, {string.Join(", ", InputShape)})");
        sb.AppendLine(new string('_', width));
        sb.AppendLine(Line(header));
        sb.AppendLine(new string('=', width));
        foreach (var row in cells) sb.AppendLine(Line(row));
        sb.AppendLine(new string('=', width));
        sb.AppendLine($"Total params: {N(TotalParameters)} ({MB(ParameterMegabytes)})");
        sb.AppendLine($"Trainable params: {N(TrainableParameters)}");
        sb.AppendLine($"Non-trainable params: {N(NonTrainableParameters)}");
        sb.AppendLine($"Conv params: {N(ConvParameters)}   Fully-connected params: {N(FullyConnectedParameters)}   Other params: {N(OtherParameters)}");
        sb.AppendLine($"Activations per image: {N(ActivationValues)} values ({MB(ActivationMegabytes)}); with the input: {N(ForwardValues)} values ({MB(ForwardMegabytes)})");
        sb.Append(new string('_', width));
        return sb.ToString();
    }

    private static IEnumerable<Module> Descendants(Module module) =>
        module.NamedChildren().SelectMany(c => Descendants(c.Module)).Prepend(module);
}
