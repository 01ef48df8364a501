using System.Globalization;

namespace CourseKit;

/// <summary>
/// Labelled images kept as bytes (0–255), exactly as stored on disk, and turned into float tensors one
/// batch at a time: MNIST's 60,000 training images take 47 MB as bytes, four times that as floats.
/// Pixels are NCHW: image <c>i</c> is <c>Channels × Height × Width</c> bytes, channel planes one after
/// another, rows top to bottom. A <see cref="Split(int, int)"/> or <see cref="Subset"/> is a view that
/// shares the same bytes.
/// <para>
/// Values come out as floats 0–255 — the pixel values themselves. Scale them to 0–1 with
/// <see cref="ToFloat"/> (what PyTorch's <c>ToTensor</c> does) and normalise them with <see cref="Normalize"/>.
/// </para>
/// </summary>
/// <example><code>
/// var mnist = Mnist.Load("train");
/// var (images, labels) = mnist.GetBatch([0, 1, 2, 3], new ToFloat());   // (4, 1, 28, 28) in 0..1, labels (4)
/// var (train, validation) = mnist.Split(validationCount: 5000, seed: 0);
/// </code></example>
public sealed class ImageDataset : IDataset
{
    private readonly byte[] _pixels;    // every image of the underlying data, N×C×H×W
    private readonly int[]? _rows;      // the images of this view, as image numbers in _pixels (null: all, in order)

    /// <summary>A name for printing, e.g. <c>MNIST train</c>.</summary>
    public string Name { get; }

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>Colour channels per image: 1 for MNIST, 3 (red, green, blue) for CIFAR-10.</summary>
    public int Channels { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>The name of each class, by label: <c>ClassNames[Labels[i]]</c> names image <c>i</c>.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The label (class index) of each image. Read it; do not change it.</summary>
    public byte[] Labels { get; }

    /// <summary>Wraps images already in memory (no copy).</summary>
    /// <param name="name">A name for printing.</param>
    /// <param name="pixels">The images, N×C×H×W bytes.</param>
    /// <param name="labels">N class indices, each less than the number of class names.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="classNames">The name of each class.</param>
    /// <exception cref="ArgumentException">The sizes do not fit together, or a label is not a class index.</exception>
    public ImageDataset(string name, byte[] pixels, byte[] labels, int channels, int height, int width, IReadOnlyList<string> classNames)
        : this(name, pixels, null, labels, channels, height, width, classNames)
    {
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new ArgumentException($"{name}: an image must have positive channels, height and width; got {channels}×{height}×{width}.");
        if (pixels.LongLength != (long)labels.Length * channels * height * width)
            throw new ArgumentException($"{name}: {pixels.Length} pixel bytes do not hold {labels.Length} images of {channels}×{height}×{width}.");
        int bad = Array.FindIndex(labels, l => l >= classNames.Count);
        if (bad >= 0)
            throw new ArgumentException($"{name}: label {labels[bad]} of image {bad} is not a class index: there are {classNames.Count} classes.");
    }

    private ImageDataset(string name, byte[] pixels, int[]? rows, byte[] labels, int channels, int height, int width, IReadOnlyList<string> classNames)
    {
        Name = name;
        _pixels = pixels;
        _rows = rows;
        Labels = labels;
        Count = labels.Length;
        Channels = channels;
        Height = height;
        Width = width;
        ClassNames = classNames;
    }

    private int ImageSize => Channels * Height * Width;

    /// <summary>The bytes this dataset and every view cut from it share.</summary>
    internal byte[] Storage => _pixels;

    /// <summary>The bytes of image <paramref name="index"/> (C×H×W).</summary>
    internal ReadOnlySpan<byte> Pixels(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new IndexOutOfRangeException($"{Name}: image {index} does not exist; there are {Count} images (0 … {Count - 1}).");
        long row = _rows is null ? index : _rows[index];
        return _pixels.AsSpan((int)(row * ImageSize), ImageSize);
    }

    /// <summary>Image <paramref name="index"/> as a tensor (C, H, W) of the pixel values 0–255.</summary>
    public Tensor Image(int index)
    {
        var values = new float[ImageSize];
        ToFloats(Pixels(index), values);
        return new Tensor(values, new Shape(Channels, Height, Width));
    }

    /// <summary>
    /// The images at <paramref name="indices"/> as one batch (N, C, H, W) of the values 0–255, then
    /// <paramref name="transform"/>, and their labels (N) as floats.
    /// </summary>
    /// <param name="indices">Which images, in batch order.</param>
    /// <param name="transform">Applied to the batch, e.g. <c>new ToFloat()</c>; null for none.</param>
    /// <param name="random">The generator random transforms draw from; null to seed one from <see cref="Rng"/>.</param>
    public (Tensor Images, Tensor Labels) GetBatch(int[] indices, ITransform? transform = null, Random? random = null)
    {
        int size = ImageSize;
        var images = new float[indices.Length * size];
        var labels = new float[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            ToFloats(Pixels(indices[i]), images.AsSpan(i * size, size));
            labels[i] = Labels[indices[i]];
        }
        var batch = new Tensor(images, new Shape(indices.Length, Channels, Height, Width));
        if (transform is not null) batch = transform.Apply(batch, random ?? new Random(Rng.NextSeed()));
        return (batch, new Tensor(labels, new Shape(indices.Length)));
    }

    private static void ToFloats(ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++) destination[i] = source[i];
    }

    /// <summary>How many images there are of each class: <c>LabelHistogram()[k]</c> images have label k.</summary>
    public int[] LabelHistogram()
    {
        var counts = new int[ClassNames.Count];
        foreach (var label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>
    /// The mean and standard deviation of each channel over all pixels, on the 0–1 scale of <see cref="ToFloat"/> —
    /// the numbers <see cref="Normalize"/> takes (MNIST: 0.1307 and 0.3081).
    /// </summary>
    public (float[] Mean, float[] Std) ChannelMeanStd()
    {
        int plane = Height * Width;
        var sum = new double[Channels];
        var sumOfSquares = new double[Channels];
        for (int i = 0; i < Count; i++)
        {
            var image = Pixels(i);
            for (int c = 0; c < Channels; c++)
            {
                long s = 0, s2 = 0;
                foreach (byte v in image.Slice(c * plane, plane)) { s += v; s2 += v * v; }
                sum[c] += s;
                sumOfSquares[c] += s2;
            }
        }
        double n = (double)Count * plane;
        var mean = new float[Channels];
        var std = new float[Channels];
        for (int c = 0; c < Channels; c++)
        {
            double m = sum[c] / n;
            mean[c] = (float)(m / 255);
            std[c] = (float)(Math.Sqrt(Math.Max(0, sumOfSquares[c] / n - m * m)) / 255);
        }
        return (mean, std);
    }

    /// <summary>A view of some of the images, in the order given; it shares this dataset's bytes.</summary>
    /// <param name="indices">Which images (of this dataset).</param>
    /// <param name="name">A name for the view; by default this name with "(subset)".</param>
    public ImageDataset Subset(int[] indices, string? name = null)
    {
        var rows = new int[indices.Length];
        var labels = new byte[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)Count)
                throw new IndexOutOfRangeException($"{Name}: image {index} does not exist; there are {Count} images (0 … {Count - 1}).");
            rows[i] = _rows is null ? index : _rows[index];
            labels[i] = Labels[index];
        }
        return new ImageDataset(name ?? $"{Name} (subset)", _pixels, rows, labels, Channels, Height, Width, ClassNames);
    }

    /// <summary>
    /// Splits off a validation set of <paramref name="validationCount"/> images chosen at random (repeatably,
    /// from <paramref name="seed"/>); the rest are the training set. Both are views in the original order that
    /// share this dataset's bytes, and no image is in both.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The count leaves either part empty.</exception>
    public (ImageDataset Train, ImageDataset Validation) Split(int validationCount, int seed = 0)
    {
        if (validationCount <= 0 || validationCount >= Count)
            throw new ArgumentOutOfRangeException(nameof(validationCount), validationCount,
                $"{Name}: the validation set must have between 1 and {Count - 1} of the {Count} images.");
        var order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        var validation = order[..validationCount];
        var train = order[validationCount..];
        Array.Sort(validation);
        Array.Sort(train);
        return (Subset(train, $"{Name} (train part)"), Subset(validation, $"{Name} (validation part)"));
    }

    /// <summary>Splits off a fraction (e.g. 0.1) of the images as a validation set; see <see cref="Split(int, int)"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1) or leaves either part empty.</exception>
    public (ImageDataset Train, ImageDataset Validation) Split(double validationFraction, int seed = 0)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, $"{Name}: the validation fraction must be between 0 and 1.");
        return Split((int)Math.Round(validationFraction * Count), seed);
    }

    /// <summary>E.g. <c>MNIST train: 60000 images 1×28×28, 10 classes</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {Count} images {Channels}×{Height}×{Width}, {ClassNames.Count} classes");
}
