namespace CourseKit.Tests.Layers;

public class FlattenTests
{
    [Fact]
    public void Flatten_turns_feature_maps_into_vectors_per_sample()
    {
        var x = Tensor.Arange(2 * 16 * 5 * 5).Reshape(2, 16, 5, 5);
        var y = new Flatten().Call(x);
        Assert.Equal(new Shape(2, 400), y.Shape);
        Assert.Equal(x.ToArray(), y.ToArray());
    }

    [Fact]
    public void Flatten_merges_only_the_chosen_axes()
    {
        Assert.Equal(new Shape(2, 12, 5), new Flatten(1, 2).Call(Tensor.Zeros(2, 3, 4, 5)).Shape);
        Assert.Equal("Flatten(start_dim=1, end_dim=-1)", new Flatten().ToString());
    }

    [Fact]
    public void Flatten_passes_the_gradient_back_in_the_input_shape()
    {
        GradCheck.Assert(x => new Flatten().Call(x) * 2f, Tensor.Randn(2, 3, 2, 3));
    }

    [Fact]
    public void Flatten_of_an_input_without_the_axes_is_a_clear_error()
    {
        var error = Assert.Throws<ShapeException>(() => new Flatten().Call(Tensor.Zeros(5)));
        Assert.Contains("Flatten(start_dim=1, end_dim=-1)", error.Message);
        Assert.Contains("(5)", error.Message);
    }
}
