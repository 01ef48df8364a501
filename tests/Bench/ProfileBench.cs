namespace CourseKit.Bench;

/// <summary>Where a training step's time goes, per operation (<see cref="Profiler"/>), for each model.</summary>
internal static class ProfileBench
{
    public static void Run(string model, int batch, int steps = 20)
    {
        var (net, optimizer, shape) = TrainBench.Build(model);
        net.Train();
        var x = Tensor.Rand([batch, .. shape]);
        var y = Tensor.RandInt(0, 10, batch);
        var loss = new CrossEntropyLoss();
        void Step()
        {
            optimizer.ZeroGrad();
            loss.Forward(net.Call(x), y).Backward();
            optimizer.Step();
        }
        var warmup = System.Diagnostics.Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < 3) Step();          // past tiered compilation
        using (var profile = Profiler.Start())
        {
            for (int i = 0; i < steps; i++) Step();
            profile.Dispose();
            Console.WriteLine($"profile {model}, batch {batch}, {steps} steps ({batch * steps / profile.Elapsed.TotalSeconds:N0} images/s):");
            Console.WriteLine(profile.Table());
            Console.WriteLine();
        }
    }
}
