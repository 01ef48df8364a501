namespace CourseKit.Bench;

/// <summary>
/// One convolution layer at a time (the CIFAR model's layers at its batch size): forward alone and
/// forward + backward (to the weight, and to the input except for the first layer, as in training),
/// in GFLOP/s of the convolution's multiply-adds. The PyTorch side is tests/Bench/peer/conv_layers.py.
/// </summary>
internal static class ConvBench
{
    /// <summary>The CIFAR VGG's convolutions as "in-out@size": 3×3 kernels, padding 1.</summary>
    public const string CifarLayers = "3-32@32,32-32@32,32-64@16,64-64@16,64-128@8";

    public static IEnumerable<(string Layer, string Pass, Windows.Result Result)> Run(string layers, int batch, double warmup, double window, int windows)
    {
        foreach (var layer in layers.Split(','))
        {
            var (cin, cout, size) = Parse(layer);
            Rng.ManualSeed(0);
            var conv = new Conv2d(cin, cout, 3, padding: 1);
            var x = Tensor.Randn(batch, cin, size, size);
            var xg = x.Clone();
            xg.RequiresGrad = cin > 3;
            var grad = Tensor.Randn(batch, cout, size, size);
            double flop = 2.0 * batch * cout * cin * 9 * size * size;
            yield return (layer, "forward", Windows.Run(() =>
            {
                using var _ = Tensor.NoGrad();
                conv.Call(x);
            }, flop / 1e9, warmup, window, windows));
            yield return (layer, "train", Windows.Run(() =>
            {
                foreach (var p in conv.Parameters()) p.ZeroGrad();
                conv.Call(xg).Backward(grad);
            }, flop * (cin > 3 ? 3 : 2) / 1e9, warmup, window, windows));
        }
    }

    private static (int In, int Out, int Size) Parse(string layer)
    {
        var parts = layer.Split('@');
        var channels = parts[0].Split('-');
        return (int.Parse(channels[0]), int.Parse(channels[1]), int.Parse(parts[1]));
    }
}
