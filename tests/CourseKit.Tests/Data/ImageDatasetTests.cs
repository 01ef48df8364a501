namespace CourseKit.Tests.Data;

[Collection("Data")]
public sealed class ImageDatasetTests
{
    private static int[] Numbers(ImageDataset d) => Enumerable.Range(0, d.Count).Select(i => (int)d.Image(i)[0, 0, 0]).ToArray();

    [Fact]
    public void GetBatch_stacks_the_chosen_images_as_NCHW_floats_with_their_labels()
    {
        var mnist = Mnist.Load("train", dataDir: TestData.Datasets, sample: true);
        var (images, labels) = mnist.GetBatch([3, 0, 7]);
        Assert.Equal(new Shape(3, 1, 28, 28), images.Shape);
        Assert.Equal(mnist.Image(0).ToArray(), images[1].ToArray());
        Assert.Equal(new float[] { mnist.Labels[3], mnist.Labels[0], mnist.Labels[7] }, labels.ToArray());
    }

    [Fact]
    public void GetBatch_applies_the_transform_to_the_batch()
    {
        var mnist = Mnist.Load("train", dataDir: TestData.Datasets, sample: true);
        var (images, _) = mnist.GetBatch([0, 1], new ToFloat());
        Assert.Equal(1f, images.ToArray().Max());
        Assert.Equal(mnist.Image(1).ToArray().Select(v => v / 255f), images[1].ToArray());
    }

    [Fact]
    public void Split_gives_disjoint_parts_of_the_requested_sizes_sharing_the_same_bytes()
    {
        var data = TestData.Numbered(200);
        var (train, validation) = data.Split(validationCount: 50, seed: 1);
        Assert.Equal((150, 50), (train.Count, validation.Count));
        Assert.Empty(Numbers(train).Intersect(Numbers(validation)));
        Assert.Equal(Enumerable.Range(0, 200), Numbers(train).Concat(Numbers(validation)).Order());
        Assert.Same(data.Storage, train.Storage);
        Assert.Same(data.Storage, validation.Storage);
        Assert.Equal(Numbers(validation).Select(n => (byte)(n % 3)), validation.Labels);
    }

    [Fact]
    public void Split_is_repeatable_for_a_seed_and_takes_a_fraction()
    {
        var data = TestData.Numbered(200);
        Assert.Equal(Numbers(data.Split(50, seed: 3).Validation), Numbers(data.Split(50, seed: 3).Validation));
        Assert.NotEqual(Numbers(data.Split(50, seed: 3).Validation), Numbers(data.Split(50, seed: 4).Validation));
        var (train, validation) = data.Split(0.1, seed: 0);
        Assert.Equal((180, 20), (train.Count, validation.Count));
    }

    [Fact]
    public void A_view_of_a_view_still_points_at_the_original_images()
    {
        var data = TestData.Numbered(100);
        var evens = data.Subset(Enumerable.Range(0, 50).Select(i => 2 * i).ToArray());
        var some = evens.Subset([1, 10, 49]);
        Assert.Equal([2, 20, 98], Numbers(some));
        Assert.Equal(98f, some.GetBatch([2]).Images.ToArray()[0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(200)]
    public void Split_that_leaves_a_part_empty_is_refused(int validationCount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TestData.Numbered(200).Split(validationCount));
    }

    [Fact]
    public void LabelHistogram_counts_each_class()
    {
        Assert.Equal([34, 33, 33], TestData.Numbered(100).LabelHistogram());
        var cifar = Cifar10.Load("test", dataDir: TestData.Datasets, sample: true);
        Assert.Equal(500, cifar.LabelHistogram().Sum());
        Assert.Equal(cifar.Labels.Count(l => l == 3), cifar.LabelHistogram()[3]);
    }

    [Fact]
    public void ChannelMeanStd_of_mnist_gives_the_familiar_0_1307_and_0_3081()
    {
        var (mean, std) = TestData.MnistTrain.ChannelMeanStd();
        Assert.Equal(0.1307f, mean[0], 0.0001f);
        Assert.Equal(0.3081f, std[0], 0.0001f);
    }

    [Fact]
    public void An_image_that_does_not_exist_is_named_with_the_dataset_size()
    {
        var error = Assert.Throws<IndexOutOfRangeException>(() => TestData.Numbered(10).Image(10));
        Assert.Equal("numbered: image 10 does not exist; there are 10 images (0 … 9).", error.Message);
    }

    [Fact]
    public void A_label_that_is_not_a_class_index_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ImageDataset("bad", new byte[8], [0, 3], 1, 2, 2, ["a", "b", "c"]));
        Assert.Contains("label 3 of image 1 is not a class index: there are 3 classes", error.Message);
    }
}
