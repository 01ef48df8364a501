using System.Formats.Tar;
using System.IO.Compression;

namespace CourseKit.Tests.Data;

[Collection("Data")]
public sealed class Cifar10Tests : IDisposable
{
    private static readonly string SampleFolder = Path.Combine(TestData.Samples, "cifar-10-batches-bin");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Cifar10_samples_have_2000_training_and_500_test_records_counted_from_the_file_length()
    {
        var train = Cifar10.Load("train", dataDir: TestData.Datasets, sample: true);
        var test = Cifar10.Load("test", dataDir: TestData.Datasets, sample: true);
        Assert.Equal((2000, 500), (train.Count, test.Count));
        Assert.Equal((3, 32, 32), (train.Channels, train.Height, train.Width));
        Assert.Equal(2000, new FileInfo(Path.Combine(SampleFolder, "data_batch_1.bin")).Length / 3073);
        Assert.Equal(2000, train.LabelHistogram().Sum());
    }

    [Fact]
    public void Cifar10_class_names_come_from_batches_meta_txt()
    {
        var sample = Cifar10.Load("test", dataDir: TestData.Datasets, sample: true);
        Assert.Equal(File.ReadAllLines(Path.Combine(SampleFolder, "batches.meta.txt")).Where(l => l.Length > 0), sample.ClassNames);
        Assert.Equal(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"], sample.ClassNames);

        var folder = _temp["cifar-10-batches-bin"];
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(SampleFolder, "test_batch.bin"), Path.Combine(folder, "test_batch.bin"));
        File.WriteAllText(Path.Combine(folder, "batches.meta.txt"), string.Join("\n", Cifar10.ClassNames.Select(n => n.ToUpperInvariant())) + "\n\n");
        TestData.WriteSums(folder);
        Assert.Equal("AIRPLANE", Cifar10.Load("test", dataDir: _temp.Path).ClassNames[0]);
    }

    [Fact]
    public void A_record_is_a_label_then_the_red_green_and_blue_planes_row_by_row()
    {
        var bytes = File.ReadAllBytes(Path.Combine(SampleFolder, "data_batch_1.bin"));
        var train = Cifar10.Load("train", dataDir: TestData.Datasets, sample: true);
        Assert.Equal(5, train.Labels[0]);                     // record 0 is a dog (manifest.csv: train/dog/0461.jpg)
        Assert.Equal("dog", train.ClassNames[train.Labels[0]]);
        var image = train.Image(1);
        foreach (var (c, y, x) in new[] { (0, 0, 0), (1, 5, 7), (2, 31, 31), (0, 12, 30) })
            Assert.Equal(bytes[3073 + 1 + c * 1024 + y * 32 + x], image[c, y, x]);
        Assert.Equal(bytes[3073], train.Labels[1]);
    }

    [Fact]
    public void Cifar10_loads_whichever_training_batches_exist_in_order()
    {
        var bytes = File.ReadAllBytes(Path.Combine(SampleFolder, "data_batch_1.bin"));
        var folder = _temp["cifar-10-batches-bin"];
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "data_batch_2.bin"), bytes[..(300 * 3073)]);
        File.WriteAllBytes(Path.Combine(folder, "data_batch_5.bin"), bytes[(300 * 3073)..(500 * 3073)]);
        TestData.WriteSums(folder);

        var train = Cifar10.Load("train", dataDir: _temp.Path);
        var sample = Cifar10.Load("train", dataDir: TestData.Datasets, sample: true);
        Assert.Equal(500, train.Count);
        Assert.Equal(sample.Labels[..500], train.Labels);
        Assert.Equal(sample.Image(420).ToArray(), train.Image(420).ToArray());
    }

    [Fact]
    public void A_batch_that_is_not_a_whole_number_of_records_is_refused()
    {
        var bytes = File.ReadAllBytes(Path.Combine(SampleFolder, "test_batch.bin"));
        var folder = _temp["cifar-10-batches-bin"];
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "test_batch.bin");
        File.WriteAllBytes(path, bytes[..(2 * 3073 + 100)]);
        TestData.WriteSums(folder);                           // listed with its own hash: only the length is wrong

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Load("test", dataDir: _temp.Path));
        Assert.Contains(path, error.Message);
        Assert.Contains("6,246 bytes, not a whole number of 3,073-byte CIFAR-10 records", error.Message);
    }

    [Fact]
    public void Cifar10_reads_the_official_tar_gz_directly()
    {
        var archive = _temp["cifar-10-binary.tar.gz"];
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip))
            foreach (var name in new[] { "batches.meta.txt", "data_batch_1.bin", "test_batch.bin" })
                tar.WriteEntry(Path.Combine(SampleFolder, name), "cifar-10-batches-bin/" + name);
        TestData.WriteSums(_temp.Path);                       // the archive is not the official one: list its hash beside it

        var fromArchive = Cifar10.Load("train", dataDir: _temp.Path);
        var fromFolder = Cifar10.Load("train", dataDir: TestData.Datasets, sample: true);
        Assert.Equal(2000, fromArchive.Count);
        Assert.Equal(fromFolder.Labels, fromArchive.Labels);
        Assert.Equal(fromFolder.GetBatch([0, 1000, 1999]).Images.ToArray(), fromArchive.GetBatch([0, 1000, 1999]).Images.ToArray());
        Assert.Equal(500, Cifar10.Load("test", dataDir: _temp.Path).Count);
    }

    [Fact]
    public void Full_Cifar10_through_COURSEKIT_DATA_has_50000_training_and_10000_test_images()
    {
        // CI sets COURSEKIT_DATA (to ../shared/datasets). Outside CI the shared folder beside the repository is
        // used if it is there; otherwise this test fails, saying how to point it at the data: never a silent skip.
        ImageDataset Load(string split)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable)))
                return Cifar10.Load(split);
            var shared = Path.GetFullPath(Path.Combine(TestData.Datasets, "..", "..", "shared", "datasets"));
            if (Directory.Exists(Path.Combine(shared, "cifar-10-batches-bin"))) return Cifar10.Load(split, dataDir: shared);
            Assert.Fail("Full CIFAR-10 was not found: COURSEKIT_DATA is not set and ../shared/datasets does not exist. " +
                        "Set COURSEKIT_DATA to a folder that contains cifar-10-batches-bin/ (CI uses COURSEKIT_DATA=../shared/datasets), " +
                        "or run `coursekit data fetch cifar10` and set COURSEKIT_DATA to the per-user cache's datasets folder.");
            return null!;
        }

        var train = Load("train");
        var test = Load("test");
        Assert.Equal(50000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.All(train.LabelHistogram(), count => Assert.Equal(5000, count));
        Assert.All(test.LabelHistogram(), count => Assert.Equal(1000, count));
        Assert.Equal(Cifar10.ClassNames, test.ClassNames);
    }
}
