namespace CourseKit.Tests.Convolution;

/// <summary>The worked examples of the convolution lecture, reproduced exactly.</summary>
public class ConvolutionLectureTests
{
    private static readonly Tensor SixBySix = Tensor.From(new float[,]
    {
        { 3, 0, 1, 2, 7, 4 },
        { 1, 5, 8, 9, 3, 1 },
        { 2, 7, 2, 5, 1, 3 },
        { 0, 1, 3, 1, 7, 8 },
        { 4, 2, 1, 6, 2, 8 },
        { 2, 4, 5, 2, 3, 9 },
    });

    private static readonly Tensor VerticalEdge = Tensor.From(new float[,] { { 1, 0, -1 }, { 1, 0, -1 }, { 1, 0, -1 } });

    [Fact]
    public void Correlate2d_reproduces_the_6x6_vertical_edge_example()
    {
        var result = F.Correlate2d(SixBySix, VerticalEdge);

        var expected = Tensor.From(new float[,]
        {
            { -5, -4, 0, 8 },
            { -10, -2, 2, 3 },
            { 0, -2, -4, -7 },
            { -3, -2, -3, -16 },
        });
        Assert.True(expected.ValueEquals(result), result.ToString());
    }

    [Fact]
    public void Correlate2d_reproduces_the_5x5_binary_image_example()
    {
        var image = Tensor.From(new float[,]
        {
            { 1, 1, 1, 0, 0 },
            { 0, 1, 1, 1, 0 },
            { 0, 0, 1, 1, 1 },
            { 0, 0, 1, 1, 0 },
            { 0, 1, 1, 0, 0 },
        });
        var kernel = Tensor.From(new float[,] { { 1, 0, 1 }, { 0, 1, 0 }, { 1, 0, 1 } });

        var result = F.Correlate2d(image, kernel);

        Assert.True(Tensor.From(new float[,] { { 4, 3, 4 }, { 2, 4, 3 }, { 2, 3, 4 } }).ValueEquals(result), result.ToString());
    }

    [Fact]
    public void Convolve2d_is_correlation_with_the_kernel_turned_180_degrees()
    {
        var kernel = Tensor.From(new float[,] { { 1, 2, 0 }, { 0, 1, -1 }, { 3, 0, 0 } });    // not symmetric
        var turned = Tensor.From(new float[,] { { 0, 0, 3 }, { -1, 1, 0 }, { 0, 2, 1 } });

        var convolved = F.Convolve2d(SixBySix, kernel);

        Assert.True(F.Correlate2d(SixBySix, turned).ValueEquals(convolved));
        Assert.False(F.Correlate2d(SixBySix, kernel).ValueEquals(convolved));
    }

    [Fact]
    public void Convolve2d_and_Correlate2d_agree_for_a_kernel_symmetric_under_rotation()
    {
        var symmetric = Tensor.From(new float[,] { { 1, 0, 1 }, { 0, 1, 0 }, { 1, 0, 1 } });
        Assert.True(F.Correlate2d(SixBySix, symmetric).ValueEquals(F.Convolve2d(SixBySix, symmetric)));
    }

    [Fact]
    public void A_3x3_filter_over_7x7_gives_5x5_at_stride_1_and_3x3_at_stride_2()
    {
        Assert.Equal(5, F.ConvOutputSize(7, 3, stride: 1));
        Assert.Equal(3, F.ConvOutputSize(7, 3, stride: 2));
        var image = Tensor.Ones(7, 7);
        var kernel = Tensor.Ones(3, 3);
        Assert.Equal(new Shape(5, 5), F.Correlate2d(image, kernel).Shape);
        Assert.Equal(new Shape(3, 3), F.Correlate2d(image, kernel, stride: 2).Shape);
    }

    [Fact]
    public void A_3x3_filter_with_stride_3_tiles_7x7_only_with_padding_1()
    {
        Assert.Equal(3, F.ConvOutputSize(7, 3, stride: 3, padding: 1, strict: true));
        Assert.Equal(new Shape(3, 3), F.Correlate2d(Tensor.Ones(7, 7), Tensor.Ones(3, 3), stride: 3, padding: 1).Shape);

        var error = Assert.Throws<ArgumentException>(() => F.ConvOutputSize(7, 3, stride: 3, strict: true));

        Assert.Contains("(7 + 2·0 − 3)/3 + 1 = 2.33 is not a whole number", error.Message);
        Assert.Contains("the last 1 row(s)/column(s) would never be covered", error.Message);
        Assert.Contains("Padding 1 fixes it: (7 + 2·1 − 3)/3 + 1 = 3", error.Message);
    }

    [Fact]
    public void Without_strict_the_output_size_floors_like_PyTorch()
    {
        Assert.Equal(2, F.ConvOutputSize(7, 3, stride: 3));
        Assert.Equal(new Shape(2, 2), F.Correlate2d(Tensor.Ones(7, 7), Tensor.Ones(3, 3), stride: 3).Shape);
    }

    [Fact]
    public void ConvOutputSize_follows_the_formula_with_dilation()
    {
        Assert.Equal(3, F.ConvOutputSize(7, 3, dilation: 2));                          // ⌊(7 + 2·0 − 2·(3 − 1) − 1)/1⌋ + 1
        Assert.Equal(11, F.ConvOutputSize(32, 5, stride: 2, padding: 1, dilation: 3));  // ⌊(32 + 2·1 − 3·(5 − 1) − 1)/2⌋ + 1 = ⌊21/2⌋ + 1
    }

    [Fact]
    public void Conv2d_3_to_6_with_5x5_kernels_has_456_parameters()
    {
        var conv = new Conv2d(3, 6, kernelSize: 5);
        Assert.Equal(456, conv.ParameterCount);                          // 6·3·5·5 weights + 6 biases
        Assert.Equal(new Shape(6, 3, 5, 5), conv.Weight.Shape);
        Assert.Equal(new Shape(6), conv.Bias!.Shape);
        Assert.Equal(["weight", "bias"], conv.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Conv2d_prints_its_hyper_parameters_like_PyTorch()
    {
        Assert.Equal("Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", new Conv2d(1, 8, 3, padding: 1).ToString());
        Assert.Equal("Conv2d(3, 16, kernel_size=(1, 3), stride=(2, 1), bias=False)", new Conv2d(3, 16, (1, 3), stride: (2, 1), bias: false).ToString());
        Assert.Equal("Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=same)", new Conv2d(3, 16, 3, padding: "same").ToString());
    }

    [Fact]
    public void Conv2d_weights_start_in_PyTorchs_default_range()
    {
        var conv = new Conv2d(3, 6, 5);
        float bound = 1f / MathF.Sqrt(3 * 5 * 5);
        Assert.All(conv.Weight.ToArray(), w => Assert.InRange(w, -bound, bound));
        Assert.All(conv.Bias!.ToArray(), b => Assert.InRange(b, -bound, bound));
    }

    [Fact]
    public void Padding_same_keeps_the_image_size_and_puts_the_odd_row_at_the_bottom_right()
    {
        var random = new Random(5);
        var x = ConvTestData.Randn(random, 1, 2, 6, 7);
        var w = ConvTestData.Randn(random, 3, 2, 4, 2);                 // even kernel: total padding 3 rows, 1 column

        var same = F.Conv2d(x, w, null, padding: "same");

        Assert.Equal(new Shape(1, 3, 6, 7), same.Shape);
        var explicitPadding = F.Conv2d(x.Pad([0, 1, 1, 2]), w);         // left 0, right 1, top 1, bottom 2
        ConvTestData.AssertClose(explicitPadding, same);
    }

    [Fact]
    public void Im2Col_lays_out_windows_as_columns_like_PyTorch_unfold()
    {
        var image = Tensor.Arange(9).Reshape(1, 3, 3);                  // 0 1 2 / 3 4 5 / 6 7 8

        var columns = F.Im2Col(image, 2, 2);

        var expected = Tensor.From(new float[,]
        {
            { 0, 1, 3, 4 },     // tap (0, 0) at the four window positions
            { 1, 2, 4, 5 },     // tap (0, 1)
            { 3, 4, 6, 7 },     // tap (1, 0)
            { 4, 5, 7, 8 },     // tap (1, 1)
        });
        Assert.True(expected.ValueEquals(columns), columns.ToString());
    }

    [Fact]
    public void Convolution_is_a_matrix_product_of_the_weights_and_the_im2col_columns()
    {
        var random = new Random(6);
        var x = ConvTestData.Randn(random, 2, 3, 6, 5);
        var w = ConvTestData.Randn(random, 4, 3, 3, 3);

        var viaColumns = w.Reshape(4, -1).MatMul(F.Im2Col(x, 3, 3, stride: 2, padding: 1)).Reshape(2, 4, 3, 3);

        ConvTestData.AssertClose(F.Conv2d(x, w, stride: 2, padding: 1), viaColumns);
    }

    [Fact]
    public void Col2Im_adds_up_how_many_windows_cover_each_pixel()
    {
        var ones = Tensor.Ones(4, 4);                                   // one channel, 2×2 kernel, 2×2 positions on a 3×3 image

        var counts = F.Col2Im(ones, 3, 3, 2, 2);

        Assert.True(Tensor.From(new float[,] { { 1, 2, 1 }, { 2, 4, 2 }, { 1, 2, 1 } }).Reshape(1, 3, 3).ValueEquals(counts), counts.ToString());
    }
}
