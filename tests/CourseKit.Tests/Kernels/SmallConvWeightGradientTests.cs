using System.Runtime.Intrinsics.X86;
using CourseKit.Kernels;
using CourseKit.Tests.Convolution;

namespace CourseKit.Tests.Kernels;

/// <summary>The weight gradient with output pixels in lanes (few input channels) against the nested-loop definition.</summary>
public class SmallConvWeightGradientTests
{
    // batch, channels, height, width, filters, kH, kW, padding (H, W)
    public static TheoryData<int, int, int, int, int, int, int, (int, int)> Shapes => new()
    {
        { 3, 1, 28, 28, 8, 3, 3, (1, 1) },      // MNIST, first 3×3 layer: 28-pixel rows, copied dY
        { 3, 8, 28, 28, 16, 3, 3, (1, 1) },     // MNIST, second 3×3 layer: two full groups of 8 filters
        { 3, 1, 28, 28, 6, 5, 5, (2, 2) },      // LeNet, first layer: 6 filters as two groups of 3
        { 4, 6, 14, 14, 16, 5, 5, (0, 0) },     // LeNet, second layer: 10-pixel rows, several images per chunk
        { 3, 3, 32, 32, 32, 3, 3, (1, 1) },     // CIFAR, first layer: 32-pixel rows read in place
        { 2, 2, 7, 9, 5, 3, 3, (0, 0) },        // odd sizes: 7-pixel rows, one partial vector for the whole image
        { 2, 3, 19, 21, 13, 3, 3, (1, 1) },     // 13 filters: groups of 7 and 6; rows of 21 leave partial vectors
        { 2, 2, 19, 21, 7, 5, 5, (2, 2) },      // 7 filters of 5×5: groups of 4 and 3
        { 2, 3, 9, 11, 9, 3, 5, (1, 2) },       // 3 rows × 5 columns, unequal padding
        { 2, 2, 11, 13, 11, 5, 3, (2, 1) },     // 5 rows × 3 columns, 11 filters: groups of 6 and 5
        { 3, 4, 16, 16, 1, 3, 3, (3, 3) },      // one filter, padding wider than the kernel's reach, 16-pixel rows in place
        { 1, 15, 12, 12, 24, 3, 3, (1, 1) },    // 15 channels, the most this kernel takes
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Equals_the_reference_on_one_thread_and_on_two(int n, int c, int h, int w, int o, int kH, int kW, (int H, int W) padding)
    {
        if (!Avx512F.IsSupported) return;
        var random = new Random(n * 1000 + c * 100 + h * 10 + w + o);
        var x = ConvTestData.Randn(random, n, c, h, w);
        int outH = h + 2 * padding.H - kH + 1, outW = w + 2 * padding.W - kW + 1;
        var gradOutput = ConvTestData.Randn(random, n, o, outH, outW);
        var g = new WindowGeometry(h, w, kH, kW, 1, 1, padding.H, padding.W, 1, 1, outH, outW);
        Assert.True(SmallConvWeightGradient.Suits(c, o, g));
        var expected = ConvolutionReference.WeightGradient(x, gradOutput, new Shape(o, c, kH, kW), (1, 1), padding, (1, 1));

        foreach (int threads in new[] { 1, 2 })
        {
            var dw = Enumerable.Repeat(float.NaN, o * c * kH * kW).ToArray();     // every weight must be written
            SmallConvWeightGradient.Compute(x.ToArray(), gradOutput.ToArray(), n, c, g, o, dw, threads);
            ConvTestData.AssertClose(expected, Tensor.FromArray(dw, o, c, kH, kW));
        }
    }

    [Fact]
    public void Repeated_runs_on_the_same_thread_count_are_bit_identical()
    {
        if (!Avx512F.IsSupported) return;
        var random = new Random(5);
        int n = 6, c = 3, size = 20, o = 10;
        float[] x = ConvTestData.Randn(random, n, c, size, size).ToArray(), dy = ConvTestData.Randn(random, n, o, size, size).ToArray();
        var g = new WindowGeometry(size, size, 3, 3, 1, 1, 1, 1, 1, 1, size, size);
        float[] first = new float[o * c * 9], second = new float[o * c * 9];
        SmallConvWeightGradient.Compute(x, dy, n, c, g, o, first, threads: 2);
        SmallConvWeightGradient.Compute(x, dy, n, c, g, o, second, threads: 2);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Conv2d_backward_uses_it_for_few_channels_and_matches_the_reference()
    {
        var random = new Random(8);
        var x = ConvTestData.Randn(random, 4, 6, 14, 14);
        var weight = ConvTestData.Randn(random, 16, 6, 5, 5).WithGrad();
        var gradOutput = ConvTestData.Randn(random, 4, 16, 10, 10);
        F.Conv2d(x, weight).Backward(gradOutput);
        ConvTestData.AssertClose(ConvolutionReference.WeightGradient(x, gradOutput, weight.Shape), weight.Grad!);
    }

    [Theory]
    [InlineData(3, 8, 3, 3, 2, 1, 16)]      // stride 2
    [InlineData(3, 8, 3, 3, 1, 2, 16)]      // dilation 2
    [InlineData(3, 8, 1, 1, 1, 1, 16)]      // 1×1 kernel
    [InlineData(3, 8, 4, 4, 1, 1, 16)]      // 4 wide
    [InlineData(16, 8, 3, 3, 1, 1, 16)]     // 16 channels: channels in lanes (ConvWeightGradient) or im2col + Gemm
    [InlineData(3, 64, 3, 3, 1, 1, 16)]     // 64 filters: Gemm is faster
    [InlineData(3, 8, 5, 5, 1, 1, 11)]      // 7-pixel rows for a 5-wide kernel: too many lanes on zero columns
    public void Does_not_claim_strides_dilations_other_widths_many_channels_or_filters_or_short_rows(int channels, int filters,
        int kH, int kW, int stride, int dilation, int size)
    {
        int outSize = (size - dilation * (kW - 1) - 1) / stride + 1;
        var g = new WindowGeometry(size, size, kH, kW, stride, stride, 0, 0, dilation, dilation, outSize, outSize);
        Assert.False(SmallConvWeightGradient.Suits(channels, filters, g));
    }
}
