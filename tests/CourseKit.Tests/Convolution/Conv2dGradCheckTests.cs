namespace CourseKit.Tests.Convolution;

/// <summary>Backward passes of the convolution functions against finite differences.</summary>
public class Conv2dGradCheckTests
{
    // channels, height, width, filters, kH, kW, stride (H, W), padding (H, W), dilation (H, W)
    public static TheoryData<int, int, int, int, int, int, (int, int), (int, int), (int, int)> Configurations => new()
    {
        { 2, 5, 5, 3, 3, 3, (1, 1), (0, 0), (1, 1) },
        { 3, 7, 5, 2, 3, 3, (2, 2), (1, 1), (1, 1) },
        { 2, 7, 7, 3, 3, 1, (1, 2), (1, 0), (2, 1) },
        { 1, 9, 7, 2, 1, 5, (3, 1), (0, 2), (1, 1) },
        { 2, 5, 7, 3, 2, 3, (1, 1), (1, 2), (2, 2) },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Conv2d_gradients_match_finite_differences(int c, int h, int w, int o, int kH, int kW,
        (int, int) stride, (int, int) padding, (int, int) dilation)
    {
        var random = new Random(c + 10 * h + 100 * w + 1000 * kH);
        var x = ConvTestData.Randn(random, 2, c, h, w);
        var weight = ConvTestData.Randn(random, o, c, kH, kW);
        var bias = ConvTestData.Randn(random, o);

        GradCheck.Assert(t => F.Conv2d(t[0], t[1], t[2], stride, padding, dilation), x, weight, bias);
    }

    [Theory]
    [InlineData(3, 3, 1)]
    [InlineData(2, 4, 1)]
    [InlineData(3, 2, 2)]
    public void Conv2d_with_padding_same_has_correct_gradients(int kH, int kW, int dilation)
    {
        var random = new Random(kH * 10 + kW + dilation * 100);
        var x = ConvTestData.Randn(random, 2, 2, 5, 6);
        var weight = ConvTestData.Randn(random, 3, 2, kH, kW);
        var bias = ConvTestData.Randn(random, 3);

        GradCheck.Assert(t => F.Conv2d(t[0], t[1], t[2], padding: "same", dilation: dilation), x, weight, bias);
    }

    [Fact]
    public void Conv2d_layer_gradient_with_respect_to_its_input_matches_finite_differences()
    {
        var conv = new Conv2d(2, 3, (3, 2), stride: (2, 1), padding: (1, 1));
        GradCheck.Assert(x => conv.Call(x), ConvTestData.Randn(new Random(3), 2, 2, 5, 5));
    }

    [Fact]
    public void Correlate2d_and_Convolve2d_have_correct_gradients()
    {
        var random = new Random(4);
        var image = ConvTestData.Randn(random, 6, 5);
        var kernel = ConvTestData.Randn(random, 3, 2);

        GradCheck.Assert(t => F.Correlate2d(t[0], t[1], stride: 2, padding: 1), image, kernel);
        GradCheck.Assert(t => F.Convolve2d(t[0], t[1]), image, kernel);
    }

    [Fact]
    public void Im2Col_and_Col2Im_have_correct_gradients()
    {
        var random = new Random(8);
        GradCheck.Assert(x => F.Im2Col(x, 3, 2, stride: 2, padding: 1), ConvTestData.Randn(random, 2, 2, 5, 4));
        GradCheck.Assert(c => F.Col2Im(c, 5, 4, 3, 2, stride: 2, padding: 1), ConvTestData.Randn(random, 2, 12, 9));
    }
}
