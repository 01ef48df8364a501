namespace CourseKit.Tests.Layers;

public class TestTimeFlipTests
{
    [Fact]
    public void TestTimeFlip_averages_the_scores_of_each_image_and_its_mirror()
    {
        Rng.ManualSeed(9);
        var model = new Sequential(new Conv2d(1, 2, 3), new Flatten(), new Linear(2 * 2 * 3, 4), new Dropout(0.5f));
        var averaged = new TestTimeFlip(model);
        averaged.Eval();
        Assert.False(model.Training);                                        // Eval reaches the wrapped model (dropout off)
        var x = Tensor.Randn(3, 1, 4, 5);
        var expected = (model.Call(x) + model.Call(x.Flip(3))) * 0.5f;
        Assert.Equal(expected.ToArray(), averaged.Call(x).ToArray());
        Assert.Equal(model.Parameters().Count(), averaged.Parameters().Count());
        Assert.Throws<ShapeException>(() => averaged.Call(Tensor.Randn(3, 20)));
    }
}
