namespace CourseKit.Tests.Losses;

public class NllAndMseLossTests
{
    [Fact]
    public void NllLoss_picks_minus_the_log_probability_of_each_target()
    {
        var logProbs = Tensor.From(new float[,] { { -0.1f, -2.3f }, { -1.2f, -0.4f }, { -0.7f, -0.7f } });
        var targets = Tensor.Of(0, 1, 1);
        Assert.Equal((0.1f + 0.4f + 0.7f) / 3, F.NllLoss(logProbs, targets).Item(), 6);
        Assert.Equal(new float[] { 0.1f, 0.4f, 0.7f }, F.NllLoss(logProbs, targets, Reduction.None).ToArray());
        Assert.Equal(1.2f, new NLLLoss(Reduction.Sum).Call(logProbs, targets).Item(), 6);
    }

    [Fact]
    public void GradCheck_passes_for_NllLoss()
    {
        Rng.ManualSeed(23);
        GradCheck.Assert(x => F.NllLoss(x, Tensor.Of(1, 3, 0, 2)), Tensor.Randn(4, 5));
        GradCheck.Assert(x => F.NllLoss(F.LogSoftmax(x, 1), Tensor.Of(1, 3, 0), Reduction.Sum), Tensor.Randn(3, 5));
    }

    [Fact]
    public void NllLoss_rejects_a_class_index_out_of_range()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NLLLoss().Call(Tensor.Zeros(2, 3), Tensor.Of(0, 3)));
        Assert.Contains("NllLoss: target 3 at position 1", error.Message);
    }

    [Fact]
    public void MseLoss_is_the_mean_of_squared_differences()
    {
        var prediction = Tensor.Of(1, 2, 3, 4);
        var target = Tensor.Of(1, 0, 3, 1);
        Assert.Equal((0 + 4 + 0 + 9) / 4f, new MSELoss().Call(prediction, target).Item(), 6);
        Assert.Equal(13f, F.MseLoss(prediction, target, Reduction.Sum).Item(), 6);
        Assert.Equal(new float[] { 0, 4, 0, 9 }, F.MseLoss(prediction, target, Reduction.None).ToArray());
        Assert.Equal("MSELoss(reduction=sum)", new MSELoss(Reduction.Sum).ToString());
    }

    [Fact]
    public void GradCheck_passes_for_MseLoss_with_respect_to_both_arguments()
    {
        Rng.ManualSeed(24);
        GradCheck.Assert(xs => F.MseLoss(xs[0], xs[1]), Tensor.Randn(3, 5), Tensor.Randn(3, 5));
    }

    [Fact]
    public void MseLoss_with_different_shapes_is_a_shape_error()
    {
        var error = Assert.Throws<ShapeException>(() => F.MseLoss(Tensor.Zeros(4, 1), Tensor.Zeros(4)));
        Assert.Contains("(4, 1)", error.Message);
        Assert.Contains("(4)", error.Message);
    }
}
