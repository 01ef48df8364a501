using Plotly.NET;

namespace CourseKit;

public static partial class Plot
{
    /// <summary>
    /// What one layer "sees": runs <paramref name="input"/> through <paramref name="model"/> (in evaluation
    /// mode, without gradients), catches the output of <paramref name="layer"/> with a forward hook and shows
    /// each of its channels as a heatmap. The model's train/eval modes are restored afterwards.
    /// </summary>
    /// <param name="model">The whole network.</param>
    /// <param name="layer">A layer inside <paramref name="model"/> whose output is (N, C, H, W).</param>
    /// <param name="input">One image (C, H, W) or a batch whose first image is shown (N, C, H, W).</param>
    /// <param name="maxChannels">At most this many channels are drawn.</param>
    /// <param name="columns">Maps per row.</param>
    public static GenericChart ActivationMaps(Module model, Module layer, Tensor input, int maxChannels = 64, int columns = 8)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 3) input = input.Unsqueeze(0);
        else if (input.Rank == 4) input = input.Narrow(0, 0, 1);
        else throw new ShapeException($"Plot.ActivationMaps: expected an input image (C, H, W) or a batch (N, C, H, W), got {input.Shape}.");

        Tensor output = CaptureOutput(model, layer, input)
            ?? throw new ArgumentException($"Plot.ActivationMaps: the layer {layer.GetType().Name} was not called during {model.GetType().Name}'s forward pass; pass a layer that is part of the model.");
        if (output.Rank != 4)
            throw new ShapeException($"Plot.ActivationMaps: the layer {layer.GetType().Name} outputs {output.Shape}; activation maps need a (N, C, H, W) output (a convolution, pooling, normalisation or activation layer).");

        int channels = Math.Min(output.Size(1), maxChannels);
        var cells = Enumerable.Range(0, channels).Select(c => (
            Figure.Trace("heatmap", ("z", Rows(output[0][c])), ("colorscale", "Viridis"), ("showscale", false)),
            (string?)$"channel {c}",
            (string?)null)).ToList();
        string title = $"{layer.GetType().Name} output {output.Shape}" + (channels < output.Size(1) ? $", first {channels} channels" : "");
        return ImageGrid.Build(title, cells, columns, reverseY: true);
    }

    /// <summary>Runs the model once and returns the first output of <paramref name="layer"/> (null if it never ran).</summary>
    private static Tensor? CaptureOutput(Module model, Module layer, Tensor input)
    {
        var modes = new List<(Module Module, bool Training)>();
        void Walk(Module m) { modes.Add((m, m.Training)); foreach (var (_, child) in m.NamedChildren()) Walk(child); }
        Walk(model);

        Tensor? captured = null;
        var previousHook = Module.ForwardHook;
        Module.ForwardHook = (module, moduleInput, moduleOutput) =>
        {
            previousHook?.Invoke(module, moduleInput, moduleOutput);
            if (ReferenceEquals(module, layer)) captured ??= moduleOutput.Detach();
        };
        try
        {
            model.Eval();
            using var _ = Tensor.NoGrad();
            model.Call(input);
        }
        finally
        {
            Module.ForwardHook = previousHook;
            foreach (var (module, training) in modes) module.Train(training);   // parents first, so children keep their own mode
        }
        return captured;
    }

    /// <summary>A (H, W) tensor as rows of doubles, the <c>z</c> of a heatmap.</summary>
    private static double[][] Rows(Tensor matrix)
    {
        var values = matrix.ToArray();
        int height = matrix.Size(0), width = matrix.Size(1);
        return Enumerable.Range(0, height).Select(y => Enumerable.Range(0, width).Select(x => Figure.Double(values[y * width + x])).ToArray()).ToArray();
    }
}
