namespace CourseKit.Tests.Losses;

public class CrossEntropyTests
{
    [Fact]
    public void CrossEntropy_of_uniform_logits_over_C_classes_is_ln_C()
    {
        var loss = F.CrossEntropy(Tensor.Zeros(4, 10), Tensor.Of(0, 3, 9, 5));
        Assert.Equal(MathF.Log(10), loss.Item(), 5);
    }

    [Fact]
    public void CrossEntropy_is_minus_log_of_the_softmax_probability_of_the_target()
    {
        var logits = Tensor.From(new float[,] { { 2, 1, 0.1f }, { 0.5f, 2.5f, -1 } });
        var targets = Tensor.Of(0, 2);
        var p = F.Softmax(logits, 1);
        float expected = -(MathF.Log(p[0, 0]) + MathF.Log(p[1, 2])) / 2;
        Assert.Equal(expected, F.CrossEntropy(logits, targets).Item(), 5);
        Assert.Equal(2 * expected, F.CrossEntropy(logits, targets, Reduction.Sum).Item(), 5);
        var perSample = F.CrossEntropy(logits, targets, Reduction.None);
        Assert.Equal(new Shape(2), perSample.Shape);
        Assert.Equal(-MathF.Log(p[1, 2]), perSample[1].Item(), 5);
    }

    [Fact]
    public void CrossEntropy_equals_NllLoss_of_LogSoftmax()
    {
        Rng.ManualSeed(20);
        var logits = Tensor.Randn(6, 4);
        var targets = Tensor.RandInt(0, 4, 6);
        Assert.Equal(F.NllLoss(F.LogSoftmax(logits, 1), targets).Item(), F.CrossEntropy(logits, targets).Item(), 5);
    }

    [Fact]
    public void CrossEntropy_gradient_is_softmax_minus_onehot_over_N()
    {
        var logits = Tensor.From(new float[,] { { 1, 2, 3 }, { 0, 0, 0 } }).WithGrad();
        F.CrossEntropy(logits, Tensor.Of(2, 0)).Backward();
        var oneHot = Tensor.From(new float[,] { { 0, 0, 1 }, { 1, 0, 0 } });
        var expected = (F.Softmax(logits.Detach(), 1) - oneHot) / 2f;
        Assert.True(logits.Grad!.AllClose(expected, 1e-5f, 1e-6f));
    }

    [Fact]
    public void Label_smoothing_mixes_the_target_with_the_uniform_distribution()
    {
        // log softmax([1, 2, 3]) = [−2.4076, −1.4076, −0.4076]; with ε = 0.3 the target is q = [0.1, 0.1, 0.8]:
        // loss = 0.7·0.4076 + 0.1·(2.4076 + 1.4076 + 0.4076) = 0.70761 (what PyTorch's label_smoothing=0.3 gives).
        var logits = Tensor.From(new float[,] { { 1, 2, 3 } }).WithGrad();
        var loss = new CrossEntropyLoss(labelSmoothing: 0.3f).Call(logits, Tensor.Of(2));
        Assert.Equal(0.707606f, loss.Item(), 5);
        loss.Backward();
        var q = Tensor.From(new float[,] { { 0.1f, 0.1f, 0.8f } });
        Assert.True(logits.Grad!.AllClose(F.Softmax(logits.Detach(), 1) - q, 1e-5f, 1e-6f));   // dx = softmax − q
        Assert.Equal("CrossEntropyLoss(label_smoothing=0.3)", new CrossEntropyLoss(labelSmoothing: 0.3f).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss(labelSmoothing: 1.5f));
    }

    [Fact]
    public void GradCheck_passes_for_CrossEntropy_with_label_smoothing()
    {
        Rng.ManualSeed(22);
        var targets = Tensor.Of(4, 0, 2);
        foreach (var reduction in new[] { Reduction.Mean, Reduction.None })
            GradCheck.Assert(logits => F.CrossEntropy(logits, targets, reduction, labelSmoothing: 0.1f), Tensor.Randn(3, 5));
    }

    [Fact]
    public void CrossEntropy_of_huge_logits_stays_finite()
    {
        var logits = Tensor.From(new float[,] { { 1000, 0 }, { 1000, 0 } });
        var losses = F.CrossEntropy(logits, Tensor.Of(0, 1), Reduction.None);
        Assert.True(losses.AllClose(Tensor.Of(0, 1000), 1e-6f, 1e-3f));
    }

    [Fact]
    public void GradCheck_passes_for_CrossEntropy_with_respect_to_the_logits()
    {
        Rng.ManualSeed(21);
        var targets = Tensor.Of(4, 0, 2);
        foreach (var reduction in new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
            GradCheck.Assert(logits => F.CrossEntropy(logits, targets, reduction), Tensor.Randn(3, 5));
    }

    [Fact]
    public void CrossEntropy_with_label_10_for_10_classes_names_the_value_and_position()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => F.CrossEntropy(Tensor.Zeros(3, 10), Tensor.Of(1, 10, 2)));
        Assert.Contains("target 10 at position 1", error.Message);
        Assert.Contains("[0, 10)", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.CrossEntropy(Tensor.Zeros(2, 10), Tensor.Of(1, -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => F.CrossEntropy(Tensor.Zeros(2, 10), Tensor.Of(1, 2.5f)));
    }

    [Fact]
    public void CrossEntropy_with_a_target_count_different_from_the_batch_is_a_shape_error()
    {
        var error = Assert.Throws<ShapeException>(() => F.CrossEntropy(Tensor.Zeros(4, 10), Tensor.Of(1, 2, 3)));
        Assert.Contains("(4, 10)", error.Message);
        Assert.Contains("(3)", error.Message);
        Assert.Throws<ShapeException>(() => F.CrossEntropy(Tensor.Zeros(10), Tensor.Of(1)));
    }

    [Fact]
    public void CrossEntropyLoss_module_is_called_like_a_PyTorch_criterion()
    {
        Rng.ManualSeed(22);
        var logits = Tensor.Randn(5, 3);
        var targets = Tensor.RandInt(0, 3, 5);
        var criterion = new CrossEntropyLoss();
        Assert.Equal(F.CrossEntropy(logits, targets).Item(), criterion.Call(logits, targets).Item());
        Assert.Equal(F.CrossEntropy(logits, targets, Reduction.Sum).Item(), new CrossEntropyLoss(Reduction.Sum).Forward(logits, targets).Item());
        Assert.Equal("CrossEntropyLoss()", criterion.ToString());
    }
}
