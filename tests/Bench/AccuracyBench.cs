using System.Diagnostics;

namespace CourseKit.Bench;

/// <summary>
/// Real-MNIST accuracy with the peer's protocol (pytorch_bench.py's acc section): batch 64, pixels/255,
/// shuffled every epoch, the model's own optimiser, test accuracy after every epoch.
/// </summary>
internal static class AccuracyBench
{
    public static IReadOnlyList<(int Epoch, double TestAccuracy, double Seconds)> Run(string model, int epochs)
    {
        var (net, optimizer, _) = TrainBench.Build(model);
        var train = new DataLoader(Mnist.Load("train"), 64, shuffle: true, seed: 0, transform: new ToFloat());
        var test = new DataLoader(Mnist.Load("test"), 1000, transform: new ToFloat());
        var results = new List<(int, double, double)>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            Trainer.Fit(net, new CrossEntropyLoss(), optimizer, train, epochs: 1, verbose: false);
            double seconds = clock.Elapsed.TotalSeconds;
            results.Add((epoch, Trainer.Evaluate(net, test).Accuracy, seconds));
        }
        return results;
    }
}
