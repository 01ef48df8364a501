using System.IO.Compression;

namespace CourseKit.Tests.Data;

[Collection("Data")]
public sealed class MnistTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Mnist_train_is_60000_grey_images_of_28x28_from_the_shipped_files()
    {
        var train = TestData.MnistTrain;
        Assert.Equal(60000, train.Count);
        Assert.Equal((1, 28, 28), (train.Channels, train.Height, train.Width));
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], train.ClassNames);
        Assert.Equal("MNIST train: 60000 images 1×28×28, 10 classes", train.ToString());
    }

    [Fact]
    public void Mnist_test_has_10000_images()
    {
        var test = Mnist.Load("test", dataDir: TestData.Datasets);
        Assert.Equal(10000, test.Count);
        Assert.Equal(10000, test.LabelHistogram().Sum());
    }

    [Fact]
    public void The_first_Mnist_training_label_is_5()
    {
        Assert.Equal(5, TestData.MnistTrain.Labels[0]);
    }

    [Fact]
    public void Mnist_training_labels_have_the_published_class_counts()
    {
        Assert.Equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], TestData.MnistTrain.LabelHistogram());
    }

    [Fact]
    public void Mnist_samples_are_the_first_2000_training_and_500_test_images()
    {
        var train = Mnist.Load("train", dataDir: TestData.Datasets, sample: true);
        var test = Mnist.Load("test", dataDir: TestData.Datasets, sample: true);
        Assert.Equal((2000, 500), (train.Count, test.Count));
        Assert.Equal(TestData.MnistTrain.Labels[..2000], train.Labels);
        Assert.Equal(TestData.MnistTrain.Image(1999).ToArray(), train.Image(1999).ToArray());
    }

    [Fact]
    public void Idx_headers_are_a_big_endian_magic_number_and_sizes()
    {
        var images = Path.Combine(TestData.Datasets, "mnist", "train-images-idx3-ubyte.gz");
        var labels = Path.Combine(TestData.Datasets, "mnist", "train-labels-idx1-ubyte.gz");
        using (var stream = Idx.Open(images)) Assert.Equal([60000, 28, 28], Idx.ReadHeader(stream, images, Idx.ImagesMagic, 3));
        using (var stream = Idx.Open(labels)) Assert.Equal([60000], Idx.ReadHeader(stream, labels, Idx.LabelsMagic, 1));

        using var wrong = Idx.Open(labels);
        var error = Assert.Throws<InvalidDataException>(() => Idx.ReadHeader(wrong, labels, Idx.ImagesMagic, 3));
        Assert.Contains("0x00000801", error.Message);
        Assert.Contains("expected 0x00000803", error.Message);
    }

    [Fact]
    public void An_image_holds_the_raw_pixel_values_0_to_255()
    {
        var image = TestData.MnistTrain.Image(0);
        Assert.Equal(new Shape(1, 28, 28), image.Shape);
        var values = image.ToArray();
        Assert.Equal(0f, values.Min());
        Assert.Equal(255f, values.Max());
        Assert.All(values, v => Assert.Equal(MathF.Round(v), v));
        Assert.Equal(0f, image[0, 0, 0]);                     // the border is background
    }

    [Fact]
    public void Uncompressed_idx_files_load_the_same_as_the_gz_files()
    {
        var folder = _temp["mnist"];
        Directory.CreateDirectory(folder);
        foreach (var gz in Directory.GetFiles(Path.Combine(TestData.Samples, "mnist"), "*.gz"))
        {
            using var input = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
            using var output = File.Create(Path.Combine(folder, Path.GetFileNameWithoutExtension(gz)));
            input.CopyTo(output);
        }
        TestData.WriteSums(folder);

        var raw = Mnist.Load("train", dataDir: _temp.Path);
        var gzipped = Mnist.Load("train", dataDir: TestData.Datasets, sample: true);
        Assert.Equal(gzipped.Labels, raw.Labels);
        Assert.Equal(gzipped.GetBatch([0, 777, 1999]).Images.ToArray(), raw.GetBatch([0, 777, 1999]).Images.ToArray());
    }

    [Fact]
    public void Fashion_mnist_has_the_same_layout_and_its_own_class_names()
    {
        // The sample MNIST files stand in for Fashion-MNIST's: same names, same format.
        TestData.CopyWithSums(_temp["fashion-mnist"], Directory.GetFiles(Path.Combine(TestData.Samples, "mnist"), "t10k-*"));
        var test = FashionMnist.Load("test", dataDir: _temp.Path);
        Assert.Equal(500, test.Count);
        Assert.Equal("Ankle boot", test.ClassNames[9]);
        Assert.Equal("Fashion-MNIST test: 500 images 1×28×28, 10 classes", test.ToString());
    }

    [Fact]
    public void Fashion_mnist_without_SHA256SUMS_is_checked_against_the_official_gz_hashes()
    {
        var folder = _temp["fashion-mnist"];
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(TestData.Samples, "mnist"), "train-*"))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load("train", dataDir: _temp.Path));
        Assert.Contains(Path.Combine(folder, "train-images-idx3-ubyte.gz"), error.Message);
        Assert.Contains("08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc", error.Message);   // the official file's SHA-256
        Assert.Contains("official Fashion-MNIST hashes", error.Message);
    }

    [Fact]
    public void A_split_other_than_train_or_test_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Mnist.Load("validation"));
        Assert.Contains("\"train\" or \"test\"", error.Message);
    }
}
