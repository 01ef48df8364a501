using Plotly.NET;

namespace CourseKit;

public static partial class Plot
{
    /// <summary>
    /// The learned kernels of a convolution layer — usually the first one, whose filters look at pixels
    /// and become edge and colour detectors. With 3 input channels each filter is shown as one colour
    /// picture; otherwise every (filter, input channel) kernel is shown in grey, one row per filter.
    /// All kernels share one scale: black is the most negative weight, white the most positive.
    /// </summary>
    public static GenericChart Filters(Conv2d layer, int columns = 8)
    {
        ArgumentNullException.ThrowIfNull(layer);
        Tensor weight = layer.Weight.Detach();                  // (out, in, kH, kW)
        var values = weight.ToArray();
        float low = values.Min(), high = values.Max();
        int outChannels = weight.Size(0), inChannels = weight.Size(1);
        string title = $"Filters of Conv2d({inChannels}→{outChannels}, k={layer.KernelSize.H}×{layer.KernelSize.W})";

        var cells = new List<(Trace, string?, string?)>();
        if (inChannels == 3)
        {
            for (int o = 0; o < outChannels; o++)
                cells.Add((ImageTrace(PixelImage.FromTensor(weight[o], low, high)), $"filter {o}", null));
            return ImageGrid.Build(title, cells, columns, reverseY: false);
        }
        for (int o = 0; o < outChannels; o++)
            for (int i = 0; i < inChannels; i++)
                cells.Add((ImageTrace(PixelImage.FromTensor(weight[o][i], low, high)), inChannels == 1 ? $"filter {o}" : $"f{o} c{i}", null));
        return ImageGrid.Build(title, cells, inChannels == 1 ? columns : inChannels, reverseY: false);
    }
}
