namespace CourseKit.Tests.Layers;

public class ActivationTests
{
    /// <summary>Distinct values at least 0.05 away from 0 and from each other (no kinks within ε of any input), in shuffled order.</summary>
    private static Tensor AwayFromZero(params int[] shape)
    {
        int n = new Shape(shape).Numel;
        var values = Enumerable.Range(0, n).Select(i => (i - n / 2) * 0.1f + 0.05f).ToArray();
        new Random(n).Shuffle(values);
        return Tensor.FromArray(values, shape);
    }

    [Fact]
    public void GradCheck_passes_for_the_elementwise_activations()
    {
        var x = AwayFromZero(3, 7);
        GradCheck.Assert(F.Relu, x);
        GradCheck.Assert(t => F.LeakyRelu(t, 0.2f), x);
        GradCheck.Assert(t => F.Elu(t, 1.5f), x);
        GradCheck.Assert(F.Sigmoid, x);
        GradCheck.Assert(F.Tanh, x);
    }

    [Fact]
    public void Activation_layers_match_their_functions()
    {
        var x = AwayFromZero(2, 5);
        Assert.Equal(F.Relu(x).ToArray(), new ReLU().Call(x).ToArray());
        Assert.Equal(F.LeakyRelu(x, 0.1f).ToArray(), new LeakyReLU(0.1f).Call(x).ToArray());
        Assert.Equal(F.Elu(x, 2f).ToArray(), new ELU(2f).Call(x).ToArray());
        Assert.Equal(F.Sigmoid(x).ToArray(), new Sigmoid().Call(x).ToArray());
        Assert.Equal(F.Tanh(x).ToArray(), new Tanh().Call(x).ToArray());
        Assert.Equal(F.Softmax(x, 1).ToArray(), new Softmax(1).Call(x).ToArray());
        Assert.Equal(F.LogSoftmax(x, 1).ToArray(), new LogSoftmax(1).Call(x).ToArray());
        Assert.Equal("LeakyReLU(negative_slope=0.1)", new LeakyReLU(0.1f).ToString());
        Assert.Equal("Softmax(dim=1)", new Softmax(1).ToString());
    }

    [Fact]
    public void PReLU_scales_negative_inputs_by_the_slope_of_their_channel()
    {
        var x = Tensor.From(new float[,] { { -1, -2 }, { 3, -4 } });   // (N 2, C 2)
        var y = F.Prelu(x, Tensor.Of(0.5f, 0.25f));
        Assert.Equal(new float[] { -0.5f, -0.5f, 3, -1 }, y.ToArray());
    }

    [Fact]
    public void GradCheck_passes_for_PReLU_with_respect_to_input_and_weight()
    {
        GradCheck.Assert(xs => F.Prelu(xs[0], xs[1]), AwayFromZero(2, 3, 3, 5), Tensor.Of(0.25f, -0.5f, 1.5f));
        GradCheck.Assert(xs => F.Prelu(xs[0], xs[1]), AwayFromZero(2, 3, 3, 5), Tensor.Of(0.3f));
        GradCheck.Assert(xs => F.Prelu(xs[0], xs[1]), AwayFromZero(5, 3), Tensor.Of(0.1f, 0.2f, 0.3f));
    }

    [Fact]
    public void PReLU_layer_starts_at_a_quarter_and_checks_the_channel_count()
    {
        var layer = new PReLU(numParameters: 6);
        Assert.Equal(Enumerable.Repeat(0.25f, 6), layer.Weight.ToArray());
        Assert.Equal(["weight"], layer.NamedParameters().Select(p => p.Name));
        var error = Assert.Throws<ShapeException>(() => layer.Call(Tensor.Zeros(2, 3, 4, 4)));
        Assert.Contains("PReLU(num_parameters=6)", error.Message);
        Assert.Contains("(2, 3, 4, 4)", error.Message);
        Assert.Equal(new Shape(2, 3, 4, 4), new PReLU().Call(Tensor.Zeros(2, 3, 4, 4)).Shape);
    }

    [Fact]
    public void Softmax_rows_sum_to_one_and_ignore_a_shift()
    {
        Rng.ManualSeed(5);
        var x = Tensor.Randn(4, 7);
        var p = F.Softmax(x, 1);
        Assert.True(p.Sum(1).AllClose(Tensor.Ones(4), 1e-5f, 1e-6f));
        Assert.All(p.ToArray(), v => Assert.True(v > 0));
        Assert.True(F.Softmax(x + 100f, 1).AllClose(p, 1e-4f, 1e-6f));
    }

    [Fact]
    public void Softmax_of_huge_scores_does_not_overflow()
    {
        var p = F.Softmax(Tensor.From(new float[,] { { 1000, 1000, 0 } }), -1);
        Assert.True(p.AllClose(Tensor.From(new float[,] { { 0.5f, 0.5f, 0 } }), 1e-6f, 1e-6f));
        var logP = F.LogSoftmax(Tensor.From(new float[,] { { 1000, 0 } }), 1);
        Assert.True(logP.AllClose(Tensor.From(new float[,] { { 0, -1000 } }), 1e-6f, 1e-3f));
    }

    [Fact]
    public void LogSoftmax_is_the_log_of_Softmax_along_any_axis()
    {
        Rng.ManualSeed(6);
        var x = Tensor.Randn(2, 4, 3);
        foreach (int axis in new[] { 0, 1, 2, -1 })
        {
            Assert.True(F.LogSoftmax(x, axis).AllClose(F.Softmax(x, axis).Log(), 1e-4f, 1e-5f));
            Assert.True(F.Softmax(x, axis).Sum(axis).AllClose(Tensor.Ones(x.Shape.Dims.Where((_, i) => i != (axis + 3) % 3).ToArray()), 1e-5f, 1e-6f));
        }
    }

    [Fact]
    public void GradCheck_passes_for_Softmax_and_LogSoftmax()
    {
        Rng.ManualSeed(7);
        GradCheck.Assert(t => F.Softmax(t, 1), Tensor.Randn(3, 5));
        GradCheck.Assert(t => F.LogSoftmax(t, 1), Tensor.Randn(3, 5));
        GradCheck.Assert(t => F.Softmax(t, 1), Tensor.Randn(2, 4, 3));       // the axis is not the last one
        GradCheck.Assert(t => F.LogSoftmax(t, 0), Tensor.Randn(3, 2, 3));
    }
}
