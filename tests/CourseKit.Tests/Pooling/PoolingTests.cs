using CourseKit.Tests.Convolution;

namespace CourseKit.Tests.Pooling;

/// <summary>Max, average, adaptive and global pooling: lecture examples, gradients and errors.</summary>
public class PoolingTests
{
    [Fact]
    public void MaxPool2d_reproduces_the_2x2_stride_2_lecture_example()
    {
        var x = Tensor.From(new float[,] { { 1, 1, 2, 4 }, { 5, 6, 7, 8 }, { 3, 2, 1, 0 }, { 1, 2, 3, 4 } }).Reshape(1, 1, 4, 4);

        var y = new MaxPool2d(2, stride: 2).Forward(x);

        Assert.True(Tensor.From(new float[,] { { 6, 8 }, { 3, 4 } }).Reshape(1, 1, 2, 2).ValueEquals(y), y.ToString());
    }

    [Fact]
    public void MaxPool2d_sends_the_gradient_to_the_first_maximum_of_each_window()
    {
        var x = Tensor.From(new float[,] { { 1, 7, 2, 2 }, { 7, 0, 2, 2 } }).Reshape(1, 1, 2, 4).WithGrad();

        F.MaxPool2d(x, 2).Sum().Backward();

        Assert.Equal(new float[] { 0, 1, 1, 0, 0, 0, 0, 0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void MaxPool2d_pads_with_minus_infinity_and_supports_overlap_and_dilation()
    {
        var x = Tensor.From(new float[,] { { -1, -2, -3 }, { -4, -5, -6 }, { -7, -8, -9 } }).Reshape(1, 1, 3, 3);

        var padded = F.MaxPool2d(x, 3, stride: 1, padding: 1);          // zeros would win everywhere; −∞ does not
        var dilated = F.MaxPool2d(x, 2, stride: 1, dilation: 2);        // one window: corners −1, −3, −7, −9

        Assert.Equal(new float[] { -1, -1, -2, -1, -1, -2, -4, -4, -5 }, padded.ToArray());
        Assert.Equal(new float[] { -1 }, dilated.ToArray());
    }

    [Fact]
    public void AvgPool2d_counts_the_padding_in_the_mean_like_PyTorch()
    {
        var x = Tensor.Ones(1, 1, 3, 3);

        var included = F.AvgPool2d(x, 2, stride: 2, padding: 1);                          // windows hold 1, 2, 2, 4 real pixels of 4
        var excluded = F.AvgPool2d(x, 2, stride: 2, padding: 1, countIncludePad: false);

        Assert.Equal(new float[] { 0.25f, 0.5f, 0.5f, 1f }, included.ToArray());
        Assert.Equal(new float[] { 1, 1, 1, 1 }, excluded.ToArray());
    }

    [Fact]
    public void AdaptiveAvgPool2d_uses_PyTorchs_start_and_end_indices()
    {
        var x = Tensor.Arange(5).Reshape(1, 1, 1, 5);                   // windows [0, 2), [1, 4), [3, 5) along the width

        var y = F.AdaptiveAvgPool2d(x, 1, 3);

        Assert.Equal(new float[] { 0.5f, 2f, 3.5f }, y.ToArray());
    }

    [Fact]
    public void Global_average_pooling_is_the_mean_of_each_channel()
    {
        var x = ConvTestData.Randn(new Random(1), 2, 3, 4, 5);

        var pooled = F.GlobalAvgPool2d(x);

        Assert.Equal(new Shape(2, 3, 1, 1), pooled.Shape);
        ConvTestData.AssertClose(x.Mean([2, 3], keepDim: true), pooled, 1e-5f);
        ConvTestData.AssertClose(pooled, new AdaptiveAvgPool2d(1).Forward(x), 1e-6f);
    }

    [Theory]
    [InlineData(2, 2, 0, 1)]
    [InlineData(3, 2, 1, 1)]
    [InlineData(2, 1, 1, 2)]
    public void MaxPool2d_gradient_matches_finite_differences(int kernel, int stride, int padding, int dilation)
    {
        var x = ConvTestData.Distinct(new Random(kernel * 10 + stride), 2, 2, 5, 6);
        GradCheck.Assert(t => F.MaxPool2d(t, kernel, stride, padding, dilation), x);
    }

    [Theory]
    [InlineData(2, 2, 0, true)]
    [InlineData(3, 2, 1, true)]
    [InlineData(3, 1, 1, false)]
    public void AvgPool2d_gradient_matches_finite_differences(int kernel, int stride, int padding, bool countIncludePad)
    {
        var x = ConvTestData.Randn(new Random(kernel * 10 + stride), 2, 2, 5, 6);
        GradCheck.Assert(t => F.AvgPool2d(t, kernel, stride, padding, countIncludePad), x);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(1, 1)]
    [InlineData(7, 4)]
    public void AdaptiveAvgPool2d_gradient_matches_finite_differences(int outH, int outW)
    {
        var x = ConvTestData.Randn(new Random(outH * 10 + outW), 2, 2, 5, 6);
        GradCheck.Assert(t => F.AdaptiveAvgPool2d(t, outH, outW), x);
    }

    [Fact]
    public void Pooling_layers_print_like_PyTorch()
    {
        Assert.Equal("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1)", new MaxPool2d(2).ToString());
        Assert.Equal("AvgPool2d(kernel_size=3, stride=1, padding=1)", new AvgPool2d(3, stride: 1, padding: 1).ToString());
        Assert.Equal("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).ToString());
        Assert.Equal("AdaptiveAvgPool2d(output_size=(2, 3))", new AdaptiveAvgPool2d((2, 3)).ToString());
    }

    [Fact]
    public void Bad_pooling_sizes_fail_with_clear_messages()
    {
        Assert.Contains("the stride must be at least 1", Assert.Throws<ArgumentException>(() => new MaxPool2d(2, stride: 0)).Message);
        Assert.Contains("more than half the kernel size", Assert.Throws<ArgumentException>(() => new MaxPool2d(2, padding: 2)).Message);
        Assert.Contains("at least 1×1", Assert.Throws<ArgumentException>(() => new AdaptiveAvgPool2d(0)).Message);

        var rank3 = Assert.Throws<ShapeException>(() => new MaxPool2d(2).Forward(Tensor.Zeros(3, 8, 8)));
        Assert.StartsWith("MaxPool2d(k=2, s=2): expected input (N, C, H, W), got (3, 8, 8).", rank3.Message);

        var tooSmall = Assert.Throws<ShapeException>(() => new AvgPool2d(3).Forward(Tensor.Zeros(1, 1, 2, 8)));
        Assert.StartsWith("AvgPool2d(k=3, s=3):", tooSmall.Message);
        Assert.Contains("⌊(2 + 2·0 − 3)/3⌋ + 1 = 0", tooSmall.Message);
    }
}
