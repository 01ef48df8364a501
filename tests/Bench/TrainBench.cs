namespace CourseKit.Bench;

/// <summary>
/// Training throughput (forward + backward + optimiser step) on random data, images/s — the same
/// models, batch sizes, optimisers and measurement windows as the PyTorch peer.
/// </summary>
internal static class TrainBench
{
    public static (Module Model, Optimizer Optimizer, int[] ImageShape) Build(string name)
    {
        Rng.ManualSeed(0);
        return name switch
        {
            "keras-mnist" => WithAdam(Models.KerasMnist(), [1, 28, 28]),
            "lenet5" => WithSgd(Models.LeNet5(), [1, 28, 28]),
            "cifar-vgg-small" => WithAdam(Models.CifarVggSmall(), [3, 32, 32]),
            _ => throw new ArgumentException($"Unknown model '{name}' (keras-mnist, lenet5, cifar-vgg-small)."),
        };

        static (Module, Optimizer, int[]) WithAdam(Module m, int[] shape) => (m, new Adam(m.Parameters(), lr: 1e-3f), shape);
        static (Module, Optimizer, int[]) WithSgd(Module m, int[] shape) => (m, new SGD(m.Parameters(), lr: 0.01f, momentum: 0.9f), shape);
    }

    public static Windows.Result Train(string name, int batch, double warmup, double window, int windows)
    {
        var (model, optimizer, shape) = Build(name);
        model.Train();
        const int pool = 4;
        var xs = Enumerable.Range(0, pool).Select(_ => Tensor.Rand([batch, .. shape])).ToArray();
        var ys = Enumerable.Range(0, pool).Select(_ => Tensor.RandInt(0, 10, batch)).ToArray();
        var loss = new CrossEntropyLoss();
        int i = 0;
        return Windows.Run(() =>
        {
            int k = i++ % pool;
            optimizer.ZeroGrad();
            loss.Forward(model.Call(xs[k]), ys[k]).Backward();
            optimizer.Step();
        }, batch, warmup, window, windows);
    }

    public static Windows.Result Infer(string name, int batch, double warmup, double window, int windows)
    {
        var (model, _, shape) = Build(name);
        model.Eval();
        var x = Tensor.Rand([batch, .. shape]);
        return Windows.Run(() =>
        {
            using var _ = Tensor.NoGrad();
            model.Call(x);
        }, batch, warmup, window, windows);
    }
}
