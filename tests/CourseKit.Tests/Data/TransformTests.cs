namespace CourseKit.Tests.Data;

public sealed class TransformTests
{
    private static readonly Random Unused = new(0);

    /// <summary>A batch of <paramref name="n"/> single-channel images, black except one pixel of 255 at (y, x).</summary>
    private static Tensor BrightPixel(int n, int size, int y, int x)
    {
        var images = Tensor.Zeros(n, 1, size, size);
        for (int i = 0; i < n; i++) images[i, 0, y, x] = 255f;
        return images;
    }

    /// <summary>Where the bright pixel of image <paramref name="i"/> is, or null if it is gone.</summary>
    private static (int Y, int X)? Find(Tensor images, int i)
    {
        int h = images.Size(2), w = images.Size(3);
        var values = images[i].ToArray();
        int at = Array.IndexOf(values, 255f);
        return at < 0 ? null : (at / w % h, at % w);
    }

    [Fact]
    public void ToFloat_divides_by_255()
    {
        var scaled = new ToFloat().Apply(Tensor.Of(0, 51, 255).Reshape(1, 1, 1, 3), Unused);
        Assert.Equal(new[] { 0f, 0.2f, 1f }, scaled.ToArray());
    }

    [Fact]
    public void Normalize_subtracts_the_mean_and_divides_by_the_std_of_each_channel()
    {
        var image = Tensor.From(new float[,,] { { { 0f, 1f } }, { { 0.5f, 1.5f } } });     // 2 channels, 1×2
        var normalized = new Normalize([0.5f, 1f], [0.5f, 0.25f]).Apply(image, Unused);
        Assert.Equal(new Shape(2, 1, 2), normalized.Shape);
        Assert.Equal(new[] { -1f, 1f, -2f, 2f }, normalized.ToArray());

        var mnist = new Normalize([0.1307f], [0.3081f]).Apply(Tensor.Of(0f, 1f).Reshape(1, 1, 1, 2), Unused).ToArray();
        Assert.Equal(-0.4242, mnist[0], 4);                   // black
        Assert.Equal(2.8215, mnist[1], 4);                    // white
    }

    [Fact]
    public void Normalize_with_the_wrong_number_of_channels_names_itself_and_the_shape()
    {
        var error = Assert.Throws<ShapeException>(() => new Normalize([0.1f, 0.2f, 0.3f], [1f, 1f, 1f]).Apply(Tensor.Zeros(2, 1, 4, 4), Unused));
        Assert.Equal("Normalize(mean=[0.1, 0.2, 0.3], std=[1, 1, 1]): expected images with 3 channel(s) — one per mean — got (2, 1, 4, 4).", error.Message);
        Assert.Throws<ArgumentException>(() => new Normalize([0f], [0f]));
    }

    [Fact]
    public void Flipping_twice_is_the_identity_and_once_mirrors_every_row()
    {
        var images = Tensor.Arange(2 * 3 * 2 * 4).Reshape(2, 3, 2, 4);
        var flip = new RandomHorizontalFlip(p: 1);
        var once = flip.Apply(images, new Random(1));
        Assert.Equal(new[] { 3f, 2f, 1f, 0f }, once[0][0][0].ToArray());
        Assert.Equal(new[] { 47f, 46f, 45f, 44f }, once[1][2][1].ToArray());
        Assert.Equal(images.ToArray(), flip.Apply(once, new Random(2)).ToArray());
        Assert.Equal(images.ToArray(), new RandomHorizontalFlip(p: 0).Apply(images, new Random(3)).ToArray());
    }

    [Fact]
    public void RandomCrop_with_padding_keeps_the_size_and_moves_the_content_by_the_drawn_offset()
    {
        var images = BrightPixel(n: 30, size: 8, y: 3, x: 4);
        var cropped = new RandomCrop(8, padding: 2).Apply(images, new Random(11));
        Assert.Equal(new Shape(30, 1, 8, 8), cropped.Shape);
        var draws = new Random(11);                           // the same draws: top, then left, per image
        for (int i = 0; i < 30; i++)
        {
            int top = draws.Next(0, 5) - 2, left = draws.Next(0, 5) - 2;
            Assert.Equal((3 - top, 4 - left), Find(cropped, i));
        }
    }

    [Fact]
    public void RandomCrop_smaller_than_the_image_cuts_a_window()
    {
        var image = Tensor.Arange(16).Reshape(1, 4, 4);
        var crop = new RandomCrop(2).Apply(image, new Random(4));
        var draws = new Random(4);
        int top = draws.Next(0, 3), left = draws.Next(0, 3);
        Assert.Equal(new Shape(1, 2, 2), crop.Shape);
        Assert.Equal(new float[] { 4 * top + left, 4 * top + left + 1, 4 * top + left + 4, 4 * top + left + 5 }, crop.ToArray());
    }

    [Fact]
    public void RandomCrop_that_does_not_fit_gives_the_rule()
    {
        var error = Assert.Throws<ShapeException>(() => new RandomCrop(40, padding: 2).Apply(Tensor.Zeros(1, 3, 32, 32), Unused));
        Assert.Contains("RandomCrop(size=40, padding=2): the crop must fit in the padded image, size ≤ H + 2·padding and W + 2·padding = 36×36", error.Message);
    }

    [Fact]
    public void RandomShift_moves_a_single_bright_pixel_by_exactly_the_drawn_amount()
    {
        var images = BrightPixel(n: 40, size: 9, y: 4, x: 4);
        var shifted = new RandomShift(maxPixels: 3).Apply(images, new Random(21));
        var draws = new Random(21);                           // the same draws: dy, then dx, per image
        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < 40; i++)
        {
            int dy = draws.Next(-3, 4), dx = draws.Next(-3, 4);
            Assert.Equal((4 + dy, 4 + dx), Find(shifted, i));
            Assert.Equal(255f, shifted[i].Sum().Item());       // nothing else lit up
            seen.Add((dy, dx));
        }
        Assert.True(seen.Count > 10);                         // the shifts really vary
    }

    [Fact]
    public void RandomShift_past_the_edge_drops_the_pixel_and_fills_with_zeros()
    {
        var images = BrightPixel(n: 50, size: 5, y: 0, x: 0);
        var shifted = new RandomShift(1).Apply(images, new Random(5));
        var draws = new Random(5);
        for (int i = 0; i < 50; i++)
        {
            int dy = draws.Next(-1, 2), dx = draws.Next(-1, 2);
            Assert.Equal(dy < 0 || dx < 0 ? null : (dy, dx), Find(shifted, i));
        }
    }

    [Fact]
    public void Compose_applies_its_transforms_in_order_and_prints_them()
    {
        var compose = new Compose(new ToFloat(), new Normalize([0.5f], [0.5f]));
        Assert.Equal(new[] { -1f, 1f }, compose.Apply(Tensor.Of(0, 255).Reshape(1, 1, 2), Unused).ToArray());
        Assert.Equal("Compose(ToFloat(), Normalize(mean=[0.5], std=[0.5]))", compose.ToString());
    }

    [Fact]
    public void Transforms_leave_their_input_unchanged()
    {
        var images = Tensor.Arange(32).Reshape(2, 1, 4, 4);
        var before = images.ToArray();
        foreach (var t in new ITransform[] { new ToFloat(), new Normalize([1f], [2f]), new RandomCrop(4, 1), new RandomHorizontalFlip(1), new RandomShift(1) })
            t.Apply(images, new Random(0));
        Assert.Equal(before, images.ToArray());
    }

    [Fact]
    public void A_tensor_that_is_not_images_is_refused_with_its_shape()
    {
        var error = Assert.Throws<ShapeException>(() => new RandomShift(2).Apply(Tensor.Zeros(28, 28), Unused));
        Assert.Equal("RandomShift(maxPixels=2): expected images (N, C, H, W) or one image (C, H, W), got (28, 28).", error.Message);
    }
}
