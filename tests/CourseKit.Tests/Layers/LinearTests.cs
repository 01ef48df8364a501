namespace CourseKit.Tests.Layers;

public class LinearTests
{
    [Fact]
    public void Linear_computes_x_times_W_transposed_plus_b()
    {
        var x = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } });
        var w = Tensor.From(new float[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } });     // (out 3, in 2)
        var b = Tensor.Of(10, 20, 30);
        var y = F.Linear(x, w, b);
        Assert.Equal(new Shape(2, 3), y.Shape);
        Assert.Equal(new float[] { 11, 22, 33, 13, 24, 37 }, y.ToArray());
    }

    [Fact]
    public void GradCheck_passes_for_Linear_with_respect_to_x_W_and_b()
    {
        Rng.ManualSeed(1);
        GradCheck.Assert(xs => F.Linear(xs[0], xs[1], xs[2]), Tensor.Randn(3, 5), Tensor.Randn(7, 5), Tensor.Randn(7));
        GradCheck.Assert(xs => F.Linear(xs[0], xs[1]), Tensor.Randn(1, 3), Tensor.Randn(2, 3));
    }

    [Fact]
    public void Linear_keeps_leading_axes_of_the_input()
    {
        Rng.ManualSeed(2);
        var x = Tensor.Randn(2, 3, 5);
        var layer = new Linear(5, 4);
        var y = layer.Call(x);
        Assert.Equal(new Shape(2, 3, 4), y.Shape);
        Assert.True(y[1].AllClose(layer.Call(x[1]), 1e-5f, 1e-6f));
        GradCheck.Assert(xs => F.Linear(xs[0], xs[1], xs[2]), x, Tensor.Randn(4, 5), Tensor.Randn(4));
    }

    [Fact]
    public void GradCheck_passes_for_Linear_on_transposed_views_of_input_and_weight()
    {
        Rng.ManualSeed(4);
        GradCheck.Assert(xs => F.Linear(xs[0].T, xs[1].T, xs[2]), Tensor.Randn(5, 3), Tensor.Randn(5, 7), Tensor.Randn(7));
    }

    [Fact]
    public void Linear_layer_gradients_reach_its_weight_and_bias()
    {
        Rng.ManualSeed(3);
        var layer = new Linear(3, 2);
        var x = Tensor.Randn(4, 3);
        layer.Call(x).Sum().Backward();
        Assert.Equal(new Shape(2, 3), layer.Weight.Grad!.Shape);
        Assert.True(layer.Weight.Grad.AllClose(Tensor.Ones(2, 4).MatMul(x), 1e-5f, 1e-6f));   // dW = Gᵀ·x with G = 1
        Assert.Equal(new float[] { 4, 4 }, layer.Bias!.Grad!.ToArray());                     // db = Σ over the batch
    }

    [Fact]
    public void Linear_uses_the_PyTorch_default_initialisation()
    {
        Rng.ManualSeed(4);
        var layer = new Linear(400, 120);
        float bound = 1f / MathF.Sqrt(400);
        Assert.Equal(new Shape(120, 400), layer.Weight.Shape);
        Assert.Equal(new Shape(120), layer.Bias!.Shape);
        Assert.All(layer.Weight.ToArray(), w => Assert.InRange(w, -bound, bound));
        Assert.All(layer.Bias.ToArray(), b => Assert.InRange(b, -bound, bound));
        Assert.Equal(400 * 120 + 120, layer.ParameterCount);
    }

    [Fact]
    public void Linear_without_bias_has_only_a_weight()
    {
        var layer = new Linear(3, 2, bias: false);
        Assert.Null(layer.Bias);
        Assert.Equal(["weight"], layer.NamedParameters().Select(p => p.Name));
        Assert.Equal("Linear(in_features=3, out_features=2, bias=False)", layer.ToString());
    }

    [Fact]
    public void Linear_prints_like_PyTorch()
    {
        Assert.Equal("Linear(in_features=400, out_features=120, bias=True)", new Linear(400, 120).ToString());
    }

    [Fact]
    public void Linear_with_the_wrong_feature_count_names_both_shapes()
    {
        var layer = new Linear(400, 120);
        var error = Assert.Throws<ShapeException>(() => layer.Call(Tensor.Zeros(64, 256)));
        Assert.Equal("Linear(400→120): expected input (N, 400), got (64, 256).", error.Message);
    }

    [Fact]
    public void Linear_rejects_a_bias_of_the_wrong_length()
    {
        var error = Assert.Throws<ShapeException>(() => F.Linear(Tensor.Zeros(2, 3), Tensor.Zeros(4, 3), Tensor.Zeros(5)));
        Assert.Contains("(4)", error.Message);
        Assert.Contains("(5)", error.Message);
    }
}
