namespace CourseKit.Tests.Convolution;

/// <summary>Bad shapes and hyper-parameters fail with a message that names the layer, the shapes and the formula.</summary>
public class ConvErrorMessageTests
{
    [Fact]
    public void A_wrong_channel_count_names_the_layer_and_both_shapes()
    {
        var conv = new Conv2d(3, 6, 5);

        var error = Assert.Throws<ShapeException>(() => conv.Forward(Tensor.Zeros(2, 4, 32, 32)));

        Assert.Equal("Conv2d(3→6, k=5×5): expected input (N, 3, H, W), got (2, 4, 32, 32).", error.Message);
    }

    [Fact]
    public void A_single_image_without_the_batch_axis_is_rejected_with_a_hint()
    {
        var conv = new Conv2d(3, 6, 5);

        var error = Assert.Throws<ShapeException>(() => conv.Forward(Tensor.Zeros(3, 32, 32)));

        Assert.StartsWith("Conv2d(3→6, k=5×5): expected input (N, 3, H, W), got (3, 32, 32).", error.Message);
        Assert.Contains("Unsqueeze(0)", error.Message);
    }

    [Fact]
    public void A_kernel_larger_than_the_padded_input_shows_the_formula()
    {
        var conv = new Conv2d(3, 6, 5);

        var error = Assert.Throws<ShapeException>(() => conv.Forward(Tensor.Zeros(1, 3, 3, 8)));

        Assert.StartsWith("Conv2d(3→6, k=5×5):", error.Message);
        Assert.Contains("(1, 3, 3, 8)", error.Message);
        Assert.Contains("(6, 3, 5, 5)", error.Message);
        Assert.Contains("⌊(3 + 2·0 − 5)/1⌋ + 1 = -1", error.Message);
    }

    [Fact]
    public void Padding_can_make_a_large_kernel_fit()
    {
        var conv = new Conv2d(3, 6, 5, padding: 1);
        Assert.Equal(new Shape(1, 6, 1, 1), conv.Forward(Tensor.Zeros(1, 3, 3, 3)).Shape);
    }

    [Fact]
    public void A_zero_stride_fails_at_construction_with_the_formula()
    {
        var error = Assert.Throws<ArgumentException>(() => new Conv2d(3, 6, 5, stride: 0));

        Assert.StartsWith("Conv2d(3→6, k=5×5, s=0): the stride must be at least 1, got 0.", error.Message);
        Assert.Contains("⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1", error.Message);
    }

    [Fact]
    public void The_functional_form_checks_its_arguments_too()
    {
        var x = Tensor.Zeros(1, 3, 8, 8);
        var w = Tensor.Zeros(6, 3, 3, 3);

        Assert.Contains("the stride must be at least 1", Assert.Throws<ArgumentException>(() => F.Conv2d(x, w, stride: 0)).Message);
        Assert.Equal("F.Conv2d: weight (6, 3, 3, 3) expects input (N, 3, H, W), got (1, 4, 8, 8).",
            Assert.Throws<ShapeException>(() => F.Conv2d(Tensor.Zeros(1, 4, 8, 8), w)).Message);
        Assert.Contains("bias of shape (6)", Assert.Throws<ShapeException>(() => F.Conv2d(x, w, Tensor.Zeros(5))).Message);
        Assert.Contains("needs stride 1", Assert.Throws<ArgumentException>(() => F.Conv2d(x, w, null, "same", stride: 2)).Message);
        Assert.Contains("\"same\" or \"valid\"", Assert.Throws<ArgumentException>(() => F.Conv2d(x, w, null, "full")).Message);
        Assert.Contains("single-channel image (H, W)", Assert.Throws<ShapeException>(() => F.Correlate2d(x, Tensor.Ones(3, 3))).Message);
    }

    [Fact]
    public void Negative_padding_and_zero_dilation_fail_at_construction()
    {
        Assert.Contains("padding cannot be negative", Assert.Throws<ArgumentException>(() => new Conv2d(1, 1, 3, padding: -1)).Message);
        Assert.Contains("d·(k − 1) + 1", Assert.Throws<ArgumentException>(() => new Conv2d(1, 1, 3, dilation: 0)).Message);
        Assert.Contains("needs stride 1", Assert.Throws<ArgumentException>(() => new Conv2d(1, 1, 3, padding: "same", stride: 2)).Message);
    }
}
