namespace CourseKit.Tests.Layers;

public class DropoutTests
{
    [Fact]
    public void Dropout_in_eval_mode_is_the_identity()
    {
        var layer = new Dropout(0.5f);
        layer.Eval();
        var x = Tensor.Randn(4, 5);
        Assert.Same(x, layer.Call(x));
        Assert.Same(x, F.Dropout(x, 0f, training: true));
    }

    [Fact]
    public void Dropout_zeroes_about_p_of_the_values_and_keeps_the_expected_value()
    {
        Rng.ManualSeed(8);
        var y = new Dropout(0.3f).Call(Tensor.Ones(100, 100)).ToArray();
        double zeros = y.Count(v => v == 0) / (double)y.Length;
        Assert.InRange(zeros, 0.28, 0.32);
        Assert.All(y, v => Assert.True(v == 0 || MathF.Abs(v - 1 / 0.7f) < 1e-6f));    // survivors scaled by 1/(1 − p)
        Assert.InRange(y.Average(), 0.97, 1.03);
    }

    [Fact]
    public void Dropout_masks_repeat_with_the_seed_differ_between_calls_and_do_not_depend_on_threads()
    {
        var x = Tensor.Ones(300_000);                        // long enough to be split across threads
        float[] Draw(int threads)
        {
            int saved = CourseKit.Kernels.Gemm.MaxThreads;
            CourseKit.Kernels.Gemm.MaxThreads = threads;
            try { Rng.ManualSeed(3); return F.Dropout(x, 0.5f).ToArray(); }
            finally { CourseKit.Kernels.Gemm.MaxThreads = saved; }
        }
        Assert.Equal(Draw(1), Draw(2));
        Rng.ManualSeed(3);
        var first = F.Dropout(x, 0.5f).ToArray();
        var second = F.Dropout(x, 0.5f).ToArray();
        double same = first.Zip(second).Count(p => (p.First == 0) == (p.Second == 0)) / (double)first.Length;
        Assert.InRange(same, 0.49, 0.51);                    // independent masks agree on half the elements
        double zeros = first.Count(v => v == 0) / (double)first.Length;
        Assert.InRange(zeros, 0.495, 0.505);
    }

    [Fact]
    public void Dropout_passes_the_gradient_only_through_the_survivors()
    {
        Rng.ManualSeed(9);
        var x = Tensor.Randn(3, 7).WithGrad();
        var y = F.Dropout(x, 0.5f);
        y.Sum().Backward();
        var kept = y.ToArray().Select((v, i) => v == 0 ? 0f : 2f);
        Assert.Equal(kept, x.Grad!.ToArray());
    }

    [Fact]
    public void GradCheck_passes_for_Dropout_with_a_fixed_mask()
    {
        // Re-seeding before every evaluation draws the same mask each time, so Dropout is a fixed linear map.
        GradCheck.Assert(t => { Rng.ManualSeed(10); return F.Dropout(t, 0.4f); }, Tensor.Randn(3, 5, 3));
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    public void Dropout_probability_outside_0_to_1_is_rejected_with_the_rule(float p)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(p));
        Assert.Contains("0 ≤ p < 1", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Dropout(Tensor.Zeros(2), p, training: false));
    }

    [Fact]
    public void Dropout_prints_its_probability()
    {
        Assert.Equal("Dropout(p=0.5)", new Dropout().ToString());
    }
}
