namespace CourseKit.Tests.Tensors;

public class TensorBasicsTests
{
    [Fact]
    public void Broadcasting_adds_a_per_channel_bias_to_every_pixel()
    {
        var x = Tensor.Zeros(2, 3, 2, 2);
        var bias = Tensor.Of(1, 2, 3).Reshape(3, 1, 1);
        var y = x + bias;
        Assert.Equal(new Shape(2, 3, 2, 2), y.Shape);
        Assert.Equal(2f, y[1, 1, 0, 1]);
        Assert.Equal(3f, y[0, 2, 1, 1]);
    }

    [Fact]
    public void Backward_of_a_product_gives_the_other_factor()
    {
        var a = Tensor.Of(1, 2, 3).WithGrad();
        var b = Tensor.Of(4, 5, 6).WithGrad();
        (a * b).Sum().Backward();
        Assert.Equal(new float[] { 4, 5, 6 }, a.Grad!.ToArray());
        Assert.Equal(new float[] { 1, 2, 3 }, b.Grad!.ToArray());
    }

    [Fact]
    public void Broadcast_gradient_is_summed_back_to_the_bias_shape()
    {
        var x = Tensor.Ones(2, 3, 2, 2);
        var bias = Tensor.Zeros(3, 1, 1).WithGrad();
        (x * 2f + bias).Sum().Backward();
        Assert.Equal(new Shape(3, 1, 1), bias.Grad!.Shape);
        Assert.Equal(new float[] { 8, 8, 8 }, bias.Grad.ToArray());
    }

    [Fact]
    public void MatMul_matches_the_hand_computed_product_and_its_gradients()
    {
        var a = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } }).WithGrad();
        var b = Tensor.From(new float[,] { { 5, 6 }, { 7, 8 } }).WithGrad();
        var c = a.MatMul(b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.ToArray());
        c.Sum().Backward();
        Assert.Equal(new float[] { 11, 15, 11, 15 }, a.Grad!.ToArray());   // G·Bᵀ with G = 1
        Assert.Equal(new float[] { 4, 4, 6, 6 }, b.Grad!.ToArray());       // Aᵀ·G
    }

    [Fact]
    public void Transposed_views_multiply_without_copying_wrongly()
    {
        var a = Tensor.Arange(6).Reshape(2, 3);
        var viaView = a.T.MatMul(a);
        var viaCopy = Tensor.FromArray(a.T.ToArray(), 3, 2).MatMul(a);
        Assert.Equal(viaCopy.ToArray(), viaView.ToArray());
    }

    [Fact]
    public void GradCheck_passes_for_tanh_and_fails_for_a_wrong_backward()
    {
        Assert.True(GradCheck.Check(xs => xs[0].Tanh() * xs[0], [Tensor.Randn(3, 4)]).Passed);
        // d/dx (x²) computed wrongly as x (missing the factor 2): the check must catch it.
        static Tensor WrongSquare(Tensor x) => Tensor.Record(x.Detach() * x.Detach(), "WrongSquare", [x], g => [g * x]);
        var result = GradCheck.Check(xs => WrongSquare(xs[0]), [Tensor.Randn(5)]);
        Assert.False(result.Passed);
        Assert.Contains("finite differences", result.Message);
    }

    [Fact]
    public void ToString_prints_whole_numbers_plainly()
    {
        var t = Tensor.From(new float[,] { { -5, -4 }, { 0, 8 } });
        Assert.Equal("[[-5, -4],\n [ 0,  8]]  shape (2, 2)", t.ToString());
    }
}
