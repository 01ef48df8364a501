namespace CourseKit.Tests.Tensors;

public class TensorViewTests
{
    private static Tensor Grid() => Tensor.Arange(24).Reshape(2, 3, 4);

    [Fact]
    public void Reshape_shares_storage_with_the_original()
    {
        var x = Grid();
        var y = x.Reshape(6, 4);
        Assert.Same(x.Storage, y.Storage);
        Assert.Equal(13f, y[3, 1]);
    }

    [Fact]
    public void Reshape_infers_one_size_and_rejects_a_wrong_count()
    {
        Assert.Equal(new Shape(4, 6), Grid().Reshape(4, -1).Shape);
        var e = Assert.Throws<ShapeException>(() => Grid().Reshape(5, 5));
        Assert.Contains("(2, 3, 4)", e.Message);
        Assert.Contains("24", e.Message);
    }

    [Fact]
    public void Permute_turns_NCHW_into_NHWC_without_copying()
    {
        var x = Tensor.Arange(2 * 3 * 2 * 2).Reshape(2, 3, 2, 2);
        var y = x.Permute(0, 2, 3, 1);
        Assert.Equal(new Shape(2, 2, 2, 3), y.Shape);
        Assert.False(y.IsContiguous);
        Assert.Equal(x[1, 2, 0, 1], y[1, 0, 1, 2]);
        Assert.Equal(x.ToArray(), y.Permute(0, 3, 1, 2).ToArray());
    }

    [Fact]
    public void View_of_a_permuted_tensor_explains_why_it_cannot()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Grid().Transpose(0, 2).View(24));
        Assert.Contains("not contiguous", e.Message);
    }

    [Fact]
    public void Narrow_and_Slice_select_ranges_like_python()
    {
        var x = Grid();
        Assert.Equal(new float[] { 4, 5, 6, 7, 8, 9, 10, 11 }, x[0].Slice(0, 1, 3).ToArray());
        Assert.Equal(new float[] { 2, 3, 6, 7, 10, 11 }, x[0].Narrow(1, 2, 2).ToArray());
        Assert.Equal(new float[] { 23 }, x.Slice(2, -1, 4)[1].Slice(0, -1, 3).Flatten().ToArray());
    }

    [Fact]
    public void Flatten_from_axis_1_gives_one_row_per_image()
    {
        var batch = Tensor.Zeros(64, 16, 5, 5);
        Assert.Equal(new Shape(64, 400), batch.Flatten(1).Shape);
    }

    [Fact]
    public void Concat_and_Stack_join_and_split_gradients_back()
    {
        var a = Tensor.Of(1, 2).WithGrad();
        var b = Tensor.Of(3, 4, 5).WithGrad();
        var c = Tensor.Concat([a, b]);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5 }, c.ToArray());
        (c * Tensor.Of(1, 2, 3, 4, 5)).Sum().Backward();
        Assert.Equal(new float[] { 1, 2 }, a.Grad!.ToArray());
        Assert.Equal(new float[] { 3, 4, 5 }, b.Grad!.ToArray());
        Assert.Equal(new Shape(2, 3), Tensor.Stack([Tensor.Zeros(3), Tensor.Ones(3)]).Shape);
        Assert.Throws<ShapeException>(() => Tensor.Stack([Tensor.Zeros(3), Tensor.Ones(2)]));
    }

    [Fact]
    public void Pad_adds_a_border_of_zeros_last_axis_first()
    {
        var x = Tensor.Ones(1, 2, 2);
        var y = x.Pad([1, 1, 2, 0]);
        Assert.Equal(new Shape(1, 4, 4), y.Shape);
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0 }, y.ToArray());
    }

    [Fact]
    public void Expand_repeats_without_copying_and_sums_its_gradient()
    {
        var bias = Tensor.Of(1, 2, 3).Reshape(3, 1).WithGrad();
        var wide = bias.Expand(3, 4);
        Assert.Equal(0, wide.Strides[1]);
        Assert.Equal(2f, wide[1, 3]);
        wide.Sum().Backward();
        Assert.Equal(new float[] { 4, 4, 4 }, bias.Grad!.ToArray());
    }

    [Fact]
    public void Indexing_out_of_range_names_the_axis_and_size()
    {
        var e = Assert.Throws<IndexOutOfRangeException>(() => Grid()[0, 3, 0]);
        Assert.Contains("axis 1 of size 3", e.Message);
    }

    [Fact]
    public void Flip_reverses_the_chosen_axes_and_flips_the_gradient_back()
    {
        var m = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new float[] { 3, 2, 1, 6, 5, 4 }, m.Flip(1).ToArray());
        Assert.Equal(new float[] { 4, 5, 6, 1, 2, 3 }, m.Flip(0).ToArray());
        Assert.Equal(new float[] { 6, 5, 4, 3, 2, 1 }, m.Flip(0, -1).ToArray());
        Assert.Equal(m.ToArray(), m.Flip(1).Flip(1).ToArray());
        var images = Tensor.Arange(0, 24).Reshape(2, 3, 2, 2);                  // mirror NCHW images left to right
        Assert.Equal(new float[] { 1, 0, 3, 2 }, images.Flip(-1).Narrow(0, 0, 1).Narrow(1, 0, 1).ToArray());
        GradCheck.Assert(x => (x.Flip(0, 2) * Tensor.Arange(0, 12).Reshape(2, 3, 2)).Sum(), Tensor.Randn(2, 3, 2));
    }
}
