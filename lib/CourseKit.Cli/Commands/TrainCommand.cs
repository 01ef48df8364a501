using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;

namespace CourseKit.Cli.Commands;

/// <summary>
/// <c>coursekit train mnist</c>: trains the course's reference model for a dataset, evaluates it on
/// the test set and writes a self-contained HTML report (curves, confusion matrix, predictions).
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = "mnist, fashion-mnist or cifar10." };
        dataset.AcceptOnlyFromAmong(Recipe.Datasets);
        var model = new Option<string?>("--model") { Description = "convnet (default for MNIST), slide, lenet5, or cifar-vgg-small (default for CIFAR-10)." };
        model.AcceptOnlyFromAmong(Recipe.ModelNames);
        var epochs = new Option<int?>("--epochs") { Description = "Number of epochs (default: the recipe's)." };
        var batch = new Option<int?>("--batch-size") { Description = "Images per step (default: the recipe's)." };
        var lr = new Option<float?>("--lr") { Description = "Learning rate (default: the recipe's)." };
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation, shuffling and dropout.", DefaultValueFactory = _ => 0 };
        var validation = new Option<double>("--validation") { Description = "Fraction of the training set held out for validation.", DefaultValueFactory = _ => 0.1 };
        var output = new Option<string?>("--out") { Description = "Where to write the HTML report (default: reports/<dataset>-<model>.html)." };
        var weights = new Option<string?>("--save") { Description = "Also save the trained weights (safetensors) here." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where the dataset is (default: COURSEKIT_DATA, the repository's datasets/, then the per-user cache)." };
        var sample = new Option<bool>("--sample") { Description = "Use the small sample shipped with the kit (a quick check, not a real training run)." };
        var threads = new Option<int>("--threads") { Description = "Threads for the kernels.", DefaultValueFactory = _ => Environment.ProcessorCount };

        var command = new Command("train", "Train a CNN on a dataset and write an HTML report (curves, confusion matrix, sample predictions).")
        {
            dataset, model, epochs, batch, lr, seed, validation, output, weights, dataDir, sample, threads,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(
            parse.GetValue(dataset)!, parse.GetValue(model), parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(lr),
            parse.GetValue(seed), parse.GetValue(validation), parse.GetValue(output), parse.GetValue(weights), parse.GetValue(dataDir),
            parse.GetValue(sample), parse.GetValue(threads), cancellation)));
        return command;
    }

    private static int Run(string datasetName, string? modelName, int? epochs, int? batchSize, float? lr, int seed, double validationFraction,
                           string? output, string? weights, string? dataDir, bool sample, int threads, CancellationToken cancellation)
    {
        try
        {
            Kernels.Gemm.MaxThreads = threads;
            var recipe = Recipe.For(datasetName, modelName);
            var clock = Stopwatch.StartNew();
            var full = Recipe.Load(datasetName, "train", dataDir, sample);
            var testSet = Recipe.Load(datasetName, "test", dataDir, sample);
            if (validationFraction is < 0 or >= 1)
                throw new ArgumentException($"--validation is the fraction of the training set held out, 0 ≤ f < 1; got {validationFraction}.");
            var (trainSet, validationSet) = validationFraction > 0 ? full.Split(validationFraction, seed) : (full, null);

            Rng.ManualSeed(seed);
            var model = recipe.Build();
            float rate = lr ?? recipe.LearningRate;
            var optimizer = recipe.Optimizer(model.Parameters(), rate);
            int batch = batchSize ?? recipe.BatchSize, epochCount = epochs ?? recipe.Epochs;
            var train = new DataLoader(trainSet, batch, shuffle: true, seed: seed, transform: recipe.TrainTransform);
            var validate = validationSet is null ? null : new DataLoader(validationSet, 1000, transform: recipe.TestTransform);
            var summary = model.Summary(full.Channels, full.Height, full.Width);
            AnsiConsole.MarkupLineInterpolated($"[bold]{recipe.Model}[/] on {Recipe.DisplayName(datasetName)}: {trainSet.Count:N0} training, {validationSet?.Count ?? 0:N0} validation, {testSet.Count:N0} test images; {summary.TotalParameters:N0} parameters; {epochCount} epochs of batch {batch}");

            // Early stopping watches the validation loss, so it needs a validation set.
            var stopping = validate is null ? null : new EarlyStopping("val_loss", patience: recipe.Patience);
            var callbacks = new List<Callback>();
            if (stopping is not null) callbacks.Add(stopping);
            History history = null!;
            void Fit(Callback? progress) => history = Trainer.Fit(model, recipe.TrainingLoss(), optimizer, train, validate, epochCount,
                progress is null ? callbacks : [.. callbacks, progress], recipe.Schedule(optimizer, epochCount), verbose: progress is null, cancellation: cancellation);
            if (AnsiConsole.Profile.Capabilities.Interactive)
                AnsiConsole.Progress().AutoClear(true).Start(context => Fit(new SpectreProgress(context)));
            else Fit(null);
            double trainSeconds = clock.Elapsed.TotalSeconds;

            var testLoader = new DataLoader(testSet, 1000, transform: recipe.TestTransform);
            var single = Trainer.Evaluate(model, testLoader, new CrossEntropyLoss());
            // With test-time mirroring the recipe's answer is the average over each image and its mirror; both are reported.
            var test = recipe.TestTimeFlip ? Trainer.Evaluate(new TestTimeFlip(model), testLoader, new CrossEntropyLoss()) : single;
            string mirrored = recipe.TestTimeFlip ? $"; {single.Accuracy:P2} without averaging each image with its mirror" : "";
            AnsiConsole.MarkupLineInterpolated($"[bold green]test accuracy {test.Accuracy:P2}[/] ({test.Correct:N0} of {test.Count:N0}{mirrored}) after {history.Epochs.Count} epochs, {trainSeconds / 60:0.0} min");

            string path = output ?? Path.Combine("reports", $"{datasetName}-{modelName ?? recipe.Model.Split(' ')[0]}.html");
            new TrainingReport($"{recipe.Model} on {Recipe.DisplayName(datasetName)}")
                .Fact("test accuracy", $"{test.Accuracy:P2} ({test.Correct:N0} of {test.Count:N0}{mirrored})")
                .Fact("epochs", $"{history.Epochs.Count} of {epochCount}" + (stopping?.BestEpoch > 0 ? $", best epoch {stopping.BestEpoch}" : ""))
                .Fact("data", $"{trainSet.Count:N0} training, {validationSet?.Count ?? 0:N0} validation, {testSet.Count:N0} test images" + (sample ? " (sample)" : ""))
                .Fact("optimiser", $"{optimizer.GetType().Name}, learning rate {rate}, batch {batch}, seed {seed}")
                .Fact("time", $"{trainSeconds:0} s on {threads} threads ({DateTime.Now:yyyy-MM-dd HH:mm})")
                .AddClassifierSections(summary, history, test, testSet, model, recipe.TestTransform)
                .Save(path);
            if (weights is not null) model.Save(weights);
            AnsiConsole.MarkupLineInterpolated($"report: {Path.GetFullPath(path)}");
            return 0;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]training cancelled[/]");
            return 130;
        }
        catch (Exception e) when (e is DatasetNotFoundException or InvalidDataException or ArgumentException or IOException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]✗[/] {e.Message}");
            return 1;
        }
    }
}
