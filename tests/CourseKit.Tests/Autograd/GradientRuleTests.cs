namespace CourseKit.Tests.Autograd;

/// <summary>Every differentiable tensor operation passes a finite-difference gradient check.</summary>
public class GradientRuleTests
{
    public GradientRuleTests() => Rng.ManualSeed(7);

    private static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var result = GradCheck.Check(f, inputs);
        Assert.True(result.Passed, result.Message);
    }

    private static Tensor Positive(params int[] shape) => Tensor.Uniform(0.5f, 2f, shape);

    [Fact] public void Add_with_broadcasting() => Check(x => x[0] + x[1], Tensor.Randn(2, 3, 4), Tensor.Randn(3, 1));
    [Fact] public void Subtract_with_broadcasting() => Check(x => x[0] - x[1], Tensor.Randn(4), Tensor.Randn(3, 1));
    [Fact] public void Multiply_with_broadcasting() => Check(x => x[0] * x[1], Tensor.Randn(2, 3, 5), Tensor.Randn(1, 3, 1));
    [Fact] public void Divide_with_broadcasting() => Check(x => x[0] / x[1], Tensor.Randn(3, 4), Positive(4));
    [Fact] public void Scalar_arithmetic() => Check(x => 2f - x[0] * 3f / 4f + 1f, Tensor.Randn(5));
    [Fact] public void Exp_Log_Sqrt() => Check(x => x[0].Exp() + x[0].Log() + x[0].Sqrt(), Positive(7));
    [Fact] public void Pow_and_Abs() => Check(x => x[0].Pow(3f) + x[0].Abs(), Positive(6) * Tensor.Of(1, -1, 1, -1, 1, -1));
    [Fact] public void Tanh_and_Sigmoid() => Check(x => x[0].Tanh() * x[0].Sigmoid(), Tensor.Randn(3, 3));
    [Fact] public void Relu_LeakyRelu_Elu_away_from_zero() =>
        Check(x => x[0].Relu() + x[0].LeakyRelu(0.1f) + x[0].Elu(), Positive(8) * Tensor.Of(1, -1, 1, -1, -1, 1, 1, -1));
    [Fact] public void Clamp_inside_and_outside() => Check(x => x[0].Clamp(-1f, 1f), Tensor.Of(-3, -0.5f, 0.2f, 0.7f, 2));
    [Fact] public void Maximum_and_Minimum() => Check(x => Tensor.Maximum(x[0], x[1]) + Tensor.Minimum(x[0], x[1]) * 2f, Tensor.Of(1, 5, -2), Tensor.Of(3, 0, -1));
    [Fact] public void Sum_and_Mean_over_axes() => Check(x => x[0].Sum([0, 2]) * Tensor.Of(1, 2, 3) + x[0].Mean(1, keepDim: true).Sum(), Tensor.Randn(2, 3, 4));
    [Fact] public void Var_over_an_axis() => Check(x => x[0].Var([0]), Tensor.Randn(5, 3));
    [Fact] public void Max_over_an_axis_without_ties() => Check(x => x[0].Max(1), Tensor.Arange(12).Reshape(3, 4).Permute(1, 0).Contiguous() * 0.37f);
    [Fact] public void MatMul_2d() => Check(x => x[0].MatMul(x[1]), Tensor.Randn(3, 5), Tensor.Randn(5, 2));
    [Fact] public void MatMul_batched_with_a_shared_matrix() => Check(x => x[0].MatMul(x[1]), Tensor.Randn(2, 3, 4), Tensor.Randn(4, 5));
    [Fact] public void MatMul_of_vectors() => Check(x => x[0].MatMul(x[1]).MatMul(x[0]), Tensor.Randn(3), Tensor.Randn(3, 3));
    [Fact] public void Views_reshape_permute_narrow_expand() =>
        Check(x => x[0].Permute(2, 0, 1).Reshape(4, 6).Narrow(1, 1, 4).T.Expand(2, 4, 4).Flatten(), Tensor.Randn(2, 3, 4));
    [Fact] public void Concat_Stack_Pad() =>
        Check(x => Tensor.Stack([Tensor.Concat([x[0], x[1]], 1), Tensor.Concat([x[1], x[0]], 1)]).Pad([1, 2, 0, 1]), Tensor.Randn(2, 2), Tensor.Randn(2, 3));

    [Fact]
    public void Gradients_accumulate_until_ZeroGrad()
    {
        var w = Tensor.Of(2).WithGrad();
        (w * 3f).Sum().Backward();
        (w * 3f).Sum().Backward();
        Assert.Equal(6f, w.Grad!.Item());
        w.ZeroGrad();
        Assert.Null(w.Grad);
    }

    [Fact]
    public void A_tensor_used_twice_gets_both_contributions()
    {
        var x = Tensor.Of(3).WithGrad();
        (x * x + x).Sum().Backward();     // d(x² + x) = 2x + 1
        Assert.Equal(7f, x.Grad!.Item());
    }

    [Fact]
    public void NoGrad_records_nothing_and_Detach_cuts_the_graph()
    {
        var x = Tensor.Of(1, 2).WithGrad();
        using (Tensor.NoGrad()) Assert.False((x * 2f).RequiresGrad);
        Assert.False(x.Detach().RequiresGrad);
        Assert.True((x * 2f).RequiresGrad);
    }

    [Fact]
    public void Backward_on_a_non_scalar_asks_for_a_gradient()
    {
        var x = Tensor.Of(1, 2).WithGrad();
        var e = Assert.Throws<InvalidOperationException>(() => (x * 2f).Backward());
        Assert.Contains("shape (2)", e.Message);
    }

    [Fact]
    public void In_place_change_of_a_weight_outside_NoGrad_is_refused()
    {
        var w = Tensor.Of(1, 2).WithGrad();
        Assert.Throws<InvalidOperationException>(() => w.Fill(0));
        using (Tensor.NoGrad()) w.Fill(0);
        Assert.Equal(new float[] { 0, 0 }, w.ToArray());
    }

    [Fact]
    public void GradCheck_has_teeth_for_a_gradient_off_by_ten_percent()
    {
        static Tensor SlightlyWrongTanh(Tensor x)
        {
            var y = x.Detach().Tanh();
            return Tensor.Record(y, "SlightlyWrongTanh", [x], g => [g * (1f - y * y) * 1.1f]);
        }
        var result = GradCheck.Check(x => SlightlyWrongTanh(x[0]), [Tensor.Randn(4, 3)]);
        Assert.False(result.Passed);
        Assert.Contains("input 0", result.Message);
    }
}
