namespace CourseKit.Tests.Layers;

public class BatchNormTests
{
    [Fact]
    public void BatchNorm2d_in_training_gives_each_channel_mean_0_and_variance_1()
    {
        Rng.ManualSeed(11);
        var x = Tensor.Randn(4, 3, 5, 5) * 3f + 2f;
        var y = new BatchNorm2d(3).Call(x);
        var mean = y.Mean([0, 2, 3]);
        var variance = y.Var([0, 2, 3]);
        Assert.True(mean.AllClose(Tensor.Zeros(3), 0, 1e-5f));
        Assert.True(variance.AllClose(Tensor.Ones(3), 0, 1e-3f));
    }

    [Theory]
    [InlineData(8, 8)]      // small planes, as at the end of the CIFAR-10 network
    [InlineData(7, 9)]      // an odd plane: the vector loops leave a tail
    public void Batch_statistics_stay_exact_for_activations_far_from_zero(int height, int width)
    {
        // Values around 1000 with spread 1: Σx² − (Σx)²/m in floats would lose the variance to cancellation.
        Rng.ManualSeed(13);
        var x = Tensor.Randn(16, 3, height, width) + 1000f;
        var runningMean = Tensor.Zeros(3);
        var runningVar = Tensor.Zeros(3);
        F.BatchNorm(x, runningMean, runningVar, training: true, momentum: 1f);     // momentum 1: the running statistics are the batch's
        var values = x.ToArray();
        int plane = height * width, m = 16 * plane;
        for (int c = 0; c < 3; c++)
        {
            var channel = Enumerable.Range(0, 16).SelectMany(i => values.Skip((i * 3 + c) * plane).Take(plane)).Select(v => (double)v).ToArray();
            double mean = channel.Average(), unbiased = channel.Sum(v => (v - mean) * (v - mean)) / (m - 1);
            Assert.Equal(mean, runningMean[c].Item(), 1e-4);
            Assert.True(Math.Abs(runningVar[c].Item() - unbiased) <= 1e-5 * unbiased, $"channel {c}: variance {runningVar[c].Item()} vs {unbiased}");
        }
    }

    [Fact]
    public void BatchNorm_applies_gamma_and_beta_after_normalising()
    {
        var x = Tensor.From(new float[,] { { 1, 10 }, { 3, 30 } });    // channel means 2 and 20, σ = 1 and 10
        var y = F.BatchNorm(x, null, null, weight: Tensor.Of(2, 3), bias: Tensor.Of(5, 7), training: true, eps: 0);
        Assert.True(y.AllClose(Tensor.From(new float[,] { { 3, 4 }, { 7, 10 } }), 1e-5f, 1e-5f));
    }

    [Fact]
    public void Running_statistics_after_one_step_are_0_9_init_plus_0_1_batch_with_unbiased_variance()
    {
        Rng.ManualSeed(12);
        var x = Tensor.Randn(6, 2, 3, 3) + 1f;
        var layer = new BatchNorm2d(2);
        layer.Call(x);
        var batchMean = x.Mean([0, 2, 3]);
        int m = 6 * 3 * 3;
        var unbiasedVar = x.Var([0, 2, 3]) * (m / (m - 1f));
        Assert.True(layer.RunningMean!.AllClose(0.9f * Tensor.Zeros(2) + 0.1f * batchMean, 1e-5f, 1e-6f));
        Assert.True(layer.RunningVar!.AllClose(0.9f * Tensor.Ones(2) + 0.1f * unbiasedVar, 1e-5f, 1e-6f));
        Assert.Equal(1f, layer.NumBatchesTracked!.Item());
    }

    [Fact]
    public void BatchNorm_in_eval_mode_uses_the_running_statistics()
    {
        var layer = new BatchNorm1d(2);
        layer.RunningMean!.CopyFrom(Tensor.Of(1, -2));
        layer.RunningVar!.CopyFrom(Tensor.Of(4, 9));
        layer.Eval();
        var x = Tensor.From(new float[,] { { 3, 1 }, { 5, 4 }, { 1, -2 } });
        var y = layer.Call(x);
        var expected = (x - Tensor.Of(1, -2)) / (Tensor.Of(4, 9) + 1e-5f).Sqrt();
        Assert.True(y.AllClose(expected, 1e-5f, 1e-6f));
        Assert.Equal(new float[] { 1, -2 }, layer.RunningMean.ToArray());    // evaluation does not update them
        Assert.Equal(0f, layer.NumBatchesTracked!.Item());
    }

    [Fact]
    public void BatchNorm_without_running_statistics_uses_batch_statistics_in_eval_too()
    {
        var layer = new BatchNorm1d(2, affine: false, trackRunningStats: false);
        Assert.Empty(layer.StateDict());
        layer.Eval();
        var y = layer.Call(Tensor.From(new float[,] { { 1, 10 }, { 3, 30 } }));
        Assert.True(y.AllClose(Tensor.From(new float[,] { { -1, -1 }, { 1, 1 } }), 1e-4f, 1e-4f));
    }

    [Fact]
    public void GradCheck_passes_for_BatchNorm2d_in_training_with_respect_to_input_gamma_and_beta()
    {
        Rng.ManualSeed(13);
        GradCheck.Assert(xs => F.BatchNorm(xs[0], null, null, xs[1], xs[2], training: true),
            Tensor.Randn(3, 2, 3, 5), Tensor.Of(1.5f, -0.7f), Tensor.Of(0.2f, 0.3f));
    }

    [Fact]
    public void GradCheck_passes_for_BatchNorm1d_in_training_for_vectors_and_sequences()
    {
        Rng.ManualSeed(14);
        GradCheck.Assert(xs => F.BatchNorm(xs[0], null, null, xs[1], xs[2], training: true),
            Tensor.Randn(5, 3), Tensor.Of(1.5f, -0.7f, 0.9f), Tensor.Of(0.2f, 0.3f, -0.1f));
        GradCheck.Assert(xs => F.BatchNorm(xs[0], null, null, xs[1], xs[2], training: true),
            Tensor.Randn(3, 2, 5), Tensor.Of(1.1f, 0.6f), Tensor.Of(-0.4f, 0.3f));
    }

    [Fact]
    public void GradCheck_passes_for_BatchNorm_in_eval_mode()
    {
        Rng.ManualSeed(15);
        var runningMean = Tensor.Of(0.5f, -1f);
        var runningVar = Tensor.Of(2f, 0.5f);
        GradCheck.Assert(xs => F.BatchNorm(xs[0], runningMean, runningVar, xs[1], xs[2], training: false),
            Tensor.Randn(3, 2, 2, 3), Tensor.Of(1.5f, -0.7f), Tensor.Of(0.2f, 0.3f));
    }

    [Fact]
    public void BatchNorm_layer_gradients_reach_gamma_and_beta()
    {
        Rng.ManualSeed(16);
        var layer = new BatchNorm2d(3);
        var x = Tensor.Randn(2, 3, 4, 4).WithGrad();
        layer.Call(x).Sum().Backward();
        Assert.True(layer.Bias!.Grad!.AllClose(Tensor.Full(32, 3), 1e-5f, 1e-5f));      // dβ = Σ dy = N·H·W
        Assert.True(layer.Weight!.Grad!.AllClose(Tensor.Zeros(3), 0, 1e-4f));          // dγ = Σ x̂ = 0
        Assert.True(x.Grad!.AllClose(Tensor.Zeros(2, 3, 4, 4), 0, 1e-4f));             // a constant shift is normalised away
    }

    [Fact]
    public void BatchNorm2d_state_dict_uses_the_PyTorch_names()
    {
        var layer = new BatchNorm2d(16);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], layer.StateDict().Keys);
        Assert.Equal(["weight", "bias"], layer.NamedParameters().Select(p => p.Name));
        Assert.Equal(new Shape(), layer.NumBatchesTracked!.Shape);
        Assert.Equal("BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", layer.ToString());
    }

    [Fact]
    public void BatchNorm2d_with_the_wrong_channel_count_or_rank_names_both_shapes()
    {
        var layer = new BatchNorm2d(16);
        var error = Assert.Throws<ShapeException>(() => layer.Call(Tensor.Zeros(8, 6, 10, 10)));
        Assert.Equal("BatchNorm2d(16): expected input (N, 16, H, W), got (8, 6, 10, 10).", error.Message);
        Assert.Throws<ShapeException>(() => layer.Call(Tensor.Zeros(8, 16)));
        var error1d = Assert.Throws<ShapeException>(() => new BatchNorm1d(4).Call(Tensor.Zeros(8, 4, 2, 2)));
        Assert.Equal("BatchNorm1d(4): expected input (N, 4) or (N, 4, L), got (8, 4, 2, 2).", error1d.Message);
    }

    [Fact]
    public void BatchNorm_in_training_needs_more_than_one_value_per_channel()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Call(Tensor.Zeros(1, 3)));
        Assert.Contains("more than 1 value per channel", error.Message);
    }
}
