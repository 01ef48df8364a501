using CourseKit.Tests.Data;

namespace CourseKit.Tests.Training;

/// <summary>The shipped MNIST sample (2,000 training and 500 test images) and tiny synthetic problems, shared by the training tests.</summary>
internal static class TrainingData
{
    public static ImageDataset MnistTrain => LazyTrain.Value;
    private static readonly Lazy<ImageDataset> LazyTrain = new(() => Mnist.Load("train", dataDir: TestData.Datasets, sample: true));

    public static ImageDataset MnistTest => LazyTest.Value;
    private static readonly Lazy<ImageDataset> LazyTest = new(() => Mnist.Load("test", dataDir: TestData.Datasets, sample: true));

    /// <summary>MNIST's normalisation: ToFloat, then (x − 0.1307) / 0.3081.</summary>
    public static ITransform MnistTransform => new Compose(new ToFloat(), new Normalize([0.1307f], [0.3081f]));

    /// <summary>
    /// Two classes of 1×1×2 "images" that a linear layer separates: class 0 is (low, high), class 1 (high, low).
    /// With <paramref name="swapLabels"/> every label is the other class — a validation set that gets worse the
    /// better the model learns the training set.
    /// </summary>
    public static ImageDataset TwoBlobs(int count, int seed, bool swapLabels = false)
    {
        var random = new Random(seed);
        var pixels = new byte[count * 2];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 2;
            byte low = (byte)random.Next(0, 100), high = (byte)random.Next(156, 256);
            (pixels[2 * i], pixels[2 * i + 1]) = label == 0 ? (low, high) : (high, low);
            labels[i] = (byte)(swapLabels ? 1 - label : label);
        }
        return new ImageDataset("two blobs", pixels, labels, 1, 1, 2, ["left", "right"]);
    }

    /// <summary>A linear classifier for <see cref="TwoBlobs"/>.</summary>
    public static Sequential LinearClassifier() => new(new Flatten(), new Linear(2, 2));

    /// <summary>A deep copy of a model's weights.</summary>
    public static Dictionary<string, float[]> Weights(Module model) =>
        model.StateDict().ToDictionary(entry => entry.Key, entry => entry.Value.ToArray());
}
