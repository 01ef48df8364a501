namespace CourseKit.Tests.Data;

[Collection("Data")]
public sealed class DataLoaderTests
{
    /// <summary>The image numbers of each batch of one epoch (the numbered dataset's pixels are the image's index).</summary>
    private static List<int[]> Epoch(DataLoader loader) =>
        loader.Select(batch => batch.Images.ToArray().Chunk(4).Select(pixels => (int)pixels[0]).ToArray()).ToList();

    [Fact]
    public void The_same_seed_gives_the_same_batches_and_every_epoch_a_new_order()
    {
        var data = TestData.Numbered(20);
        var a = new DataLoader(data, batchSize: 6, shuffle: true, seed: 7);
        var b = new DataLoader(data, batchSize: 6, shuffle: true, seed: 7);
        var a0 = Epoch(a).SelectMany(x => x).ToArray();
        var a1 = Epoch(a).SelectMany(x => x).ToArray();
        Assert.Equal(a0, Epoch(b).SelectMany(x => x));
        Assert.Equal(a1, Epoch(b).SelectMany(x => x));
        Assert.NotEqual(a0, a1);
        Assert.Equal(Enumerable.Range(0, 20), a0.Order());
        Assert.Equal(Enumerable.Range(0, 20), a1.Order());
        Assert.NotEqual(a0, Epoch(new DataLoader(data, 6, shuffle: true, seed: 8)).SelectMany(x => x));
    }

    [Fact]
    public void Order_tells_the_order_of_any_epoch_and_setting_Epoch_replays_it()
    {
        var loader = new DataLoader(TestData.Numbered(20), batchSize: 5, shuffle: true, seed: 1);
        Assert.Equal(loader.Order(0), Epoch(loader).SelectMany(x => x));
        Assert.Equal(loader.Order(1), Epoch(loader).SelectMany(x => x));
        Assert.Equal(2, loader.Epoch);
        loader.Epoch = 0;
        Assert.Equal(loader.Order(0), Epoch(loader).SelectMany(x => x));
    }

    [Fact]
    public void Without_shuffle_the_batches_come_in_dataset_order_with_their_labels()
    {
        var loader = new DataLoader(TestData.Numbered(10), batchSize: 4);
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]], Epoch(loader));
        Assert.Equal(new float[] { 1, 2, 0, 1 }, loader.Skip(1).First().Labels.ToArray());
    }

    [Fact]
    public void DropLast_leaves_out_the_short_last_batch()
    {
        var data = TestData.Numbered(10);
        var keep = new DataLoader(data, batchSize: 4, shuffle: true, seed: 0);
        var drop = new DataLoader(data, batchSize: 4, shuffle: true, seed: 0, dropLast: true);
        Assert.Equal((3, 2), (keep.Count, drop.Count));
        Assert.Equal([4, 4, 2], Epoch(keep).Select(b => b.Length));
        Assert.Equal([4, 4], Epoch(drop).Select(b => b.Length));
        Assert.Equal(new Shape(4, 1, 2, 2), drop.First().Images.Shape);
    }

    [Fact]
    public void Rng_ManualSeed_makes_a_loader_without_a_seed_repeatable()
    {
        var data = TestData.Numbered(30);
        Rng.ManualSeed(5);
        var first = Epoch(new DataLoader(data, 8, shuffle: true)).SelectMany(x => x).ToArray();
        Rng.ManualSeed(5);
        Assert.Equal(first, Epoch(new DataLoader(data, 8, shuffle: true)).SelectMany(x => x));
    }

    [Fact]
    public void Random_transforms_repeat_with_the_seed_and_differ_between_epochs()
    {
        var mnist = Mnist.Load("test", dataDir: TestData.Datasets, sample: true).Subset([.. Enumerable.Range(0, 64)]);
        DataLoader Make() => new(mnist, 32, shuffle: true, seed: 3, transform: new Compose(new ToFloat(), new RandomShift(3)));
        float[] Images(DataLoader loader) => loader.SelectMany(b => b.Images.ToArray()).ToArray();
        var a = Make();
        var b = Make();
        var a0 = Images(a);
        Assert.Equal(a0, Images(b));
        Assert.NotEqual(a0, Images(a));
    }

    [Fact]
    public void A_batch_size_below_1_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(TestData.Numbered(3), 0));
    }

    [Fact]
    public void ToString_describes_the_loader()
    {
        var loader = new DataLoader(TestData.Numbered(10), 4, shuffle: true, seed: 2, transform: new ToFloat());
        Assert.Equal("DataLoader(numbered, batch size 4, 3 batches, shuffled, seed 2, ToFloat())", loader.ToString());
    }
}
