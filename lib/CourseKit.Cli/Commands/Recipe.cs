namespace CourseKit.Cli.Commands;

/// <summary>
/// How `coursekit train` trains a model on a dataset: the model, optimiser, batch size, epochs,
/// learning-rate schedule, the transforms for training and testing, the label smoothing of the training
/// loss, and whether the test scores average each image with its mirror (<see cref="CourseKit.TestTimeFlip"/>).
/// Each is the course's reference recipe for that pair.
/// </summary>
internal sealed record Recipe(
    string Model, Func<Module> Build, Func<IEnumerable<Parameter>, float, Optimizer> Optimizer, float LearningRate,
    int BatchSize, int Epochs, ITransform TrainTransform, ITransform TestTransform,
    Func<Optimizer, int, LearningRateSchedule?> Schedule, int Patience, float LabelSmoothing = 0f, bool TestTimeFlip = false)
{
    /// <summary>The training loss: cross-entropy, with the recipe's label smoothing.</summary>
    public CrossEntropyLoss TrainingLoss() => new(labelSmoothing: LabelSmoothing);

    public static readonly string[] Datasets = ["mnist", "fashion-mnist", "cifar10"];
    public static readonly string[] ModelNames = ["convnet", "slide", "lenet5", "cifar-vgg-small"];

    /// <summary>The recipe for <paramref name="dataset"/>, with <paramref name="model"/> (or the dataset's default model).</summary>
    public static Recipe For(string dataset, string? model)
    {
        static Optimizer Adam(IEnumerable<Parameter> p, float lr) => new Adam(p, lr: lr);
        static Optimizer Sgd(IEnumerable<Parameter> p, float lr) => new SGD(p, lr: lr, momentum: 0.9f);
        static Optimizer Nesterov(IEnumerable<Parameter> p, float lr) => new SGD(p, lr: lr, momentum: 0.9f, weightDecay: 5e-4f, nesterov: true);
        var pixels = new ToFloat();                                       // pixels/255, as in the Keras and PyTorch examples
        if (dataset == "cifar10")
        {
            var normalize = new Normalize([0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]);
            var augment = new Compose(pixels, new RandomCrop(32, padding: 4), new RandomHorizontalFlip(), normalize);
            return (model ?? "cifar-vgg-small") switch
            {
                // One cycle: warm up to lr 0.1 over the first 30 % of the epochs, then anneal (batch 128: 26 epochs in under 30 min here);
                // label smoothing 0.1 against over-confidence, and less dropout than the model's defaults (0.1 and 0.25 instead
                // of 0.25 and 0.5: 26 epochs are too few to over-fit); trained with mirrored images, tested on both mirror images.
                "cifar-vgg-small" => new("cifar-vgg-small", () => Models.CifarVggSmall(convDropout: 0.1f, denseDropout: 0.25f), Nesterov, 0.1f, 128, 26,
                    augment, new Compose(pixels, normalize),
                    (o, epochs) => new OneCycleLR(o, maxLearningRate: o.LearningRate, epochs), Patience: 8, LabelSmoothing: 0.1f, TestTimeFlip: true),
                var other => throw new ArgumentException($"Model '{other}' takes 28×28 grey images; for cifar10 use cifar-vgg-small."),
            };
        }
        return (model ?? "convnet") switch
        {
            "convnet" => new("convnet (Keras simple MNIST convnet)", Models.MnistConvnet, Adam, 1e-3f, 128, 15, pixels, pixels, (_, _) => null, Patience: 4),
            "slide" => new("slide CNN (8-16 filters, dense 40)", Models.KerasMnist, Adam, 1e-3f, 64, 3, pixels, pixels, (_, _) => null, Patience: 3),
            "lenet5" => new("LeNet-5", Models.LeNet5, Sgd, 0.01f, 64, 10, pixels, pixels, (_, _) => null, Patience: 3),
            var other => throw new ArgumentException($"Model '{other}' takes 32×32 colour images; for {dataset} use convnet, slide or lenet5."),
        };
    }

    public static string DisplayName(string dataset) => dataset switch { "mnist" => "MNIST", "fashion-mnist" => "Fashion-MNIST", _ => "CIFAR-10" };

    public static ImageDataset Load(string dataset, string split, string? dataDir, bool sample) => dataset switch
    {
        "mnist" => Mnist.Load(split, dataDir, sample),
        "fashion-mnist" => FashionMnist.Load(split, dataDir, sample),
        _ => Cifar10.Load(split, dataDir, sample),
    };
}
