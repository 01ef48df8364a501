namespace CourseKit.Tests.Data;

[Collection("Data")]
public sealed class DataDirectoryTests : IDisposable
{
    private readonly TempFolder _data = new();
    private readonly TempFolder _cache = new();
    private readonly EnvironmentScope _environment;

    public DataDirectoryTests() =>
        _environment = new EnvironmentScope()
            .Set(DataDirectory.EnvironmentVariable, _data.Path)
            .Set(DataDirectory.CacheEnvironmentVariable, _cache.Path);

    public void Dispose()
    {
        _environment.Dispose();
        _data.Dispose();
        _cache.Dispose();
    }

    [Fact]
    public void The_search_order_is_COURSEKIT_DATA_then_the_repository_then_the_user_cache()
    {
        var roots = DataDirectory.SearchOrder();
        Assert.Equal([_data.Path, TestData.Datasets, Path.Combine(_cache.Path, "datasets")], roots.Select(r => r.Path));
        Assert.Equal(["COURSEKIT_DATA", "the repository's datasets/ folder", "the per-user cache"], roots.Select(r => r.Origin));
    }

    [Fact]
    public void An_explicit_dataDir_is_the_only_place_searched()
    {
        Assert.Equal([new DataRoot(_cache.Path, "the dataDir argument")], DataDirectory.SearchOrder(_cache.Path));
    }

    [Fact]
    public void The_first_root_that_has_the_dataset_wins()
    {
        TestData.WriteTinyIdx(_data["samples/mnist"], "test", count: 3);
        Assert.Equal(3, Mnist.Load("test", sample: true).Count);              // COURSEKIT_DATA before the repository

        using (new EnvironmentScope().Set(DataDirectory.EnvironmentVariable, null))
            Assert.Equal(500, Mnist.Load("test", sample: true).Count);        // then the repository's samples

        TestData.WriteTinyIdx(_cache["datasets/fashion-mnist"], "train", count: 4);
        Assert.Equal(4, FashionMnist.Load("train").Count);                    // found only in the user cache
    }

    [Fact]
    public void A_dataDir_may_point_straight_at_the_dataset_folder()
    {
        TestData.WriteTinyIdx(_data["elsewhere"], "train", count: 5, rows: 4, columns: 4);
        var tiny = Mnist.Load("train", dataDir: _data["elsewhere"]);
        Assert.Equal((5, 4, 4), (tiny.Count, tiny.Height, tiny.Width));
        Assert.Equal([0, 1, 2, 3, 4], tiny.Labels);
        Assert.Equal(4f, tiny.Image(4)[0, 3, 3]);
    }

    [Fact]
    public void A_missing_dataset_lists_every_place_searched_in_order_and_how_to_get_it()
    {
        var error = Assert.Throws<DatasetNotFoundException>(() => FashionMnist.Load("test"));
        Assert.Equal(
            [
                $"{Path.Combine(_data.Path, "fashion-mnist")}  (COURSEKIT_DATA)",
                $"{Path.Combine(TestData.Datasets, "fashion-mnist")}  (the repository's datasets/ folder)",
                $"{Path.Combine(_cache.Path, "datasets", "fashion-mnist")}  (the per-user cache)",
            ],
            error.Searched);
        Assert.StartsWith("Fashion-MNIST (test) was not found. Looked for t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz] in:", error.Message);
        Assert.Contains($"  1. {Path.Combine(_data.Path, "fashion-mnist")}  (COURSEKIT_DATA)", error.Message);
        Assert.Contains("Run `coursekit data fetch fashion-mnist` to download it into the per-user cache", error.Message);
    }

    [Fact]
    public void The_user_cache_follows_COURSEKIT_CACHE_then_the_platform_convention()
    {
        Assert.Equal(Path.Combine(_cache.Path, "datasets"), DataDirectory.UserCache);
        using var scope = new EnvironmentScope().Set(DataDirectory.CacheEnvironmentVariable, null).Set("XDG_CACHE_HOME", _data.Path);
        var expected = OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "CourseKit", "datasets")
            : Path.Combine(_data.Path, "coursekit", "datasets");
        Assert.Equal(expected, DataDirectory.UserCache);
    }

    [Fact]
    public void A_relative_COURSEKIT_DATA_not_found_from_the_current_directory_is_taken_from_the_repository_root()
    {
        var previous = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(_cache.Path);       // outside the repository; it is still found from the library's location
            using var scope = new EnvironmentScope().Set(DataDirectory.EnvironmentVariable, "datasets");
            Assert.Equal(TestData.Datasets, DataDirectory.SearchOrder()[0].Path);
        }
        finally { Directory.SetCurrentDirectory(previous); }
    }
}
