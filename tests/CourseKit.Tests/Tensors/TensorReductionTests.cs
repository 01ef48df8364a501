namespace CourseKit.Tests.Tensors;

public class TensorReductionTests
{
    private static readonly Tensor M = Tensor.From(new float[,] { { 1, 5, 3 }, { 4, 2, 6 } });

    [Fact]
    public void Sum_and_Mean_over_axes_keep_or_drop_them()
    {
        Assert.Equal(21f, M.Sum().Item());
        Assert.Equal(new float[] { 5, 7, 9 }, M.Sum(0).ToArray());
        Assert.Equal(new Shape(2, 1), M.Sum(1, keepDim: true).Shape);
        Assert.Equal(new float[] { 3, 4 }, M.Mean(1).ToArray());
        Assert.Equal(3.5f, M.Mean().Item());
    }

    [Fact]
    public void Sum_over_several_axes_equals_summing_them_one_at_a_time()
    {
        // (0, 2, 3) is a convolution's bias gradient, (0) a linear layer's: the one-pass path; (1, 3) is not.
        var x = Tensor.Arange(0, 2 * 3 * 4 * 5).Reshape(2, 3, 4, 5) * 0.5f;
        foreach (var axes in new[] { new[] { 0, 2, 3 }, [0], [2, 3], [0, 1], [1, 3], [0, 1, 2, 3] })
        {
            var oneByOne = x;
            foreach (int a in axes.OrderByDescending(a => a)) oneByOne = oneByOne.Sum(a, keepDim: true);
            Assert.Equal(oneByOne.ToArray(), x.Sum(axes, keepDim: true).ToArray());
            Assert.Equal(oneByOne.Shape, x.Sum(axes, keepDim: true).Shape);
        }
        Assert.Equal(new float[] { 790, 1190, 1590 }, x.Sum([0, 2, 3]).ToArray());   // channel c: ½·Σₙ Σₖ (60n + 20c + k), k < 20
    }

    [Fact]
    public void Max_and_ArgMax_pick_the_largest_per_row()
    {
        Assert.Equal(new float[] { 5, 6 }, M.Max(1).ToArray());
        Assert.Equal(new float[] { 1, 2 }, M.ArgMax(1).ToArray());
        Assert.Equal(new float[] { 0, 1, 0 }, M.ArgMin(0).ToArray());
        Assert.Equal(6f, M.Max().Item());
    }

    [Fact]
    public void Max_sends_the_gradient_to_the_winner_only()
    {
        var x = M.Clone().WithGrad();
        x.Max(1).Sum().Backward();
        Assert.Equal(new float[] { 0, 1, 0, 0, 0, 1 }, x.Grad!.ToArray());
    }

    [Fact]
    public void Var_is_the_population_variance()
    {
        var v = Tensor.Of(1, 2, 3, 4).Var([0]);
        Assert.Equal(1.25f, v.Item(), 6);
    }

    [Fact]
    public void Accuracy_is_the_mean_of_equal_predictions()
    {
        var logits = Tensor.From(new float[,] { { 0.1f, 0.9f }, { 0.8f, 0.2f }, { 0.3f, 0.7f } });
        var labels = Tensor.Of(1, 0, 0);
        Assert.Equal(2f / 3f, logits.ArgMax(1).Eq(labels).Mean().Item(), 6);
    }
}
