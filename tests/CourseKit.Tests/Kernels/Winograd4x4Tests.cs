using CourseKit.Kernels;
using CourseKit.Tests.Convolution;

namespace CourseKit.Tests.Kernels;

/// <summary>The Winograd F(4×4, 3×3) convolution against the nested-loop definition.</summary>
public class Winograd4x4Tests
{
    // batch, channels, height, width, filters, padding
    public static TheoryData<int, int, int, int, int, int> Shapes => new()
    {
        { 2, 32, 32, 32, 32, 1 },       // the CIFAR model's layers …
        { 2, 32, 16, 16, 64, 1 },
        { 2, 64, 16, 16, 64, 1 },
        { 3, 64, 8, 8, 128, 1 },
        { 2, 64, 16, 16, 32, 1 },       // … and their input gradients (dY convolved with flipped filters)
        { 3, 128, 8, 8, 64, 1 },
        { 3, 5, 7, 9, 13, 1 },          // 7×9 outputs: the last tile row and column partly outside; 13 filters: a partial group
        { 3, 5, 7, 9, 5, 0 },           // no padding: 5×7 outputs
        { 2, 3, 13, 11, 9, 1 },         // 13×11 outputs, 9 filters: one past a group of 8
        { 2, 33, 13, 11, 8, 0 },        // 11×9 outputs, 33 channels
        { 2, 1, 9, 7, 1, 1 },           // one channel, one filter
        { 1, 4, 5, 40, 8, 1 },          // 10 tiles per tile row: a second group of 8 tiles that spills into the next row
        { 13, 3, 6, 6, 9, 1 },          // 2×2 tiles per image: 13 images end in a partial chunk of 48
        { 5, 3, 6, 6, 64, 2 },          // padding 2: 8×8 outputs
        { 2, 256, 6, 6, 8, 1 },         // the most channels the error bound is stated for
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Winograd_convolution_equals_the_reference_with_and_without_bias_and_relu(int n, int c, int h, int w, int o, int pad)
    {
        var random = new Random(n * 1000 + c * 100 + h * 10 + w + o);
        var x = ConvTestData.Randn(random, n, c, h, w);
        var weight = ConvTestData.Randn(random, o, c, 3, 3);
        var bias = ConvTestData.Randn(random, o);
        var g = Geometry(h, w, pad, pad);

        foreach (bool withBias in new[] { false, true })
        {
            var expected = ConvolutionReference.Forward(x, weight, withBias ? bias : null, (1, 1), (pad, pad)).ToArray();
            foreach (bool relu in new[] { false, true })
            {
                var y = Run(x, c, g, weight, o, withBias ? bias : null, relu, threads: 1);
                AssertWinogradClose(relu ? expected.Select(v => Math.Max(v, 0f)).ToArray() : expected, y, c);
            }
        }
    }

    [Fact]
    public void Bottom_and_right_padding_follow_from_the_output_size()
    {
        // Padding 1 at the top and left but none at the bottom and right: the reference with padding 1, less its last row and column.
        var random = new Random(3);
        var x = ConvTestData.Randn(random, 2, 6, 11, 10);
        var weight = ConvTestData.Randn(random, 7, 6, 3, 3);
        var g = new WindowGeometry(11, 10, 3, 3, 1, 1, 1, 1, 1, 1, 10, 9);
        var expected = ConvolutionReference.Forward(x, weight, null, (1, 1), (1, 1)).Narrow(2, 0, 10).Narrow(3, 0, 9).Contiguous();
        AssertWinogradClose(expected.ToArray(), Run(x, 6, g, weight, 7, null, relu: false, threads: 1), 6);
    }

    [Fact]
    public void Negative_padding_crops_the_image()
    {
        // Padding −1 (the flipped convolution of a layer with padding 3) skips the first row and column of the image.
        var random = new Random(4);
        var x = ConvTestData.Randn(random, 2, 5, 12, 13);
        var weight = ConvTestData.Randn(random, 9, 5, 3, 3);
        var g = new WindowGeometry(12, 13, 3, 3, 1, 1, -1, -1, 1, 1, 9, 10);
        var cropped = x.Narrow(2, 1, 11).Narrow(3, 1, 12).Contiguous();
        var expected = ConvolutionReference.Forward(cropped, weight, null, (1, 1), (0, 0)).Narrow(2, 0, 9).Narrow(3, 0, 10).Contiguous();
        AssertWinogradClose(expected.ToArray(), Run(x, 5, g, weight, 9, null, relu: false, threads: 1), 5);
    }

    [Theory]
    [InlineData(8, 16, 32, 32)]
    [InlineData(7, 64, 8, 72)]
    [InlineData(5, 5, 9, 13)]
    [InlineData(9, 33, 16, 9)]
    public void Two_threads_give_the_same_bits_as_one_and_repeats_are_identical(int n, int c, int size, int o)
    {
        var random = new Random(5);
        var x = ConvTestData.Randn(random, n, c, size, size);
        var weight = ConvTestData.Randn(random, o, c, 3, 3);
        var bias = ConvTestData.Randn(random, o);
        var g = Geometry(size, size, 1, 1);
        var one = Run(x, c, g, weight, o, bias, relu: true, threads: 1);
        var two = Run(x, c, g, weight, o, bias, relu: true, threads: 2);
        Assert.Equal(one, two);
        Assert.Equal(two, Run(x, c, g, weight, o, bias, relu: true, threads: 2));
    }

    [Fact]
    public void Every_output_is_overwritten()
    {
        var random = new Random(6);
        var x = ConvTestData.Randn(random, 2, 3, 7, 9);
        var weight = ConvTestData.Randn(random, 5, 3, 3, 3);
        var g = Geometry(7, 9, 1, 1);
        var y = Enumerable.Repeat(float.NaN, 2 * 5 * 7 * 9).ToArray();
        Winograd4x4.Forward(x.ToArray(), 2, 3, g, weight.ToArray(), 5, null, y, relu: false, threads: 1);
        Assert.DoesNotContain(y, float.IsNaN);
    }

    [Fact]
    public void Suits_only_stride_1_undilated_3x3_kernels_with_enough_channels_and_filters()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return;
        Assert.True(Winograd4x4.Suits(32, 32, Geometry(32, 32, 1, 1)));
        Assert.True(Winograd4x4.Suits(64, 64, Geometry(16, 16, 1, 1)));
        Assert.True(Winograd4x4.Suits(64, 128, Geometry(8, 8, 1, 1)));
        Assert.True(Winograd4x4.Suits(16, 32, Geometry(32, 32, 1, 1)));
        Assert.False(Winograd4x4.Suits(3, 32, Geometry(32, 32, 1, 1)));
        Assert.False(Winograd4x4.Suits(8, 16, Geometry(28, 28, 1, 1)));
        Assert.False(Winograd4x4.Suits(16, 8, Geometry(28, 28, 1, 1)));
        Assert.False(Winograd4x4.Suits(16, 16, Geometry(16, 16, 1, 1)));
        Assert.False(Winograd4x4.Suits(64, 64, new WindowGeometry(16, 16, 3, 3, 2, 2, 1, 1, 1, 1, 8, 8)));
        Assert.False(Winograd4x4.Suits(64, 64, new WindowGeometry(16, 16, 3, 3, 1, 1, 2, 2, 2, 2, 16, 16)));
        Assert.False(Winograd4x4.Suits(64, 64, new WindowGeometry(16, 16, 5, 5, 1, 1, 2, 2, 1, 1, 16, 16)));
    }

    /// <summary>A stride-1 3×3 window geometry with the given top/left padding and the same at the bottom/right.</summary>
    private static WindowGeometry Geometry(int h, int w, int padH, int padW) =>
        new(h, w, 3, 3, 1, 1, padH, padW, 1, 1, h + 2 * padH - 2, w + 2 * padW - 2);

    private static float[] Run(Tensor x, int channels, in WindowGeometry g, Tensor weight, int filters, Tensor? bias, bool relu, int threads)
    {
        int batch = x.Size(0);
        var y = new float[batch * filters * g.OutputArea];
        Winograd4x4.Forward(x.ToArray(), batch, channels, g, weight.ToArray(), filters, bias?.ToArray(), y, relu, threads);
        return y;
    }

    /// <summary>
    /// |actual − expected| ≤ 4e-5·√C·(1 + |expected|). Each output sums 9C products of N(0, 1) values (the reference in
    /// double); float rounding grows like √C, and F(4×4)'s output transform magnifies the rounding of the transformed
    /// values. Observed ≤ 1.8e-5·√C over millions of outputs (F(2×2): ≤ 3.3e-6·√C), so the bound leaves a 2× margin.
    /// </summary>
    private static void AssertWinogradClose(float[] expected, float[] actual, int channels)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = 4e-5f * MathF.Sqrt(channels);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= scale * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
