using CourseKit.Kernels;
using CourseKit.Tests.Convolution;

namespace CourseKit.Tests.Kernels;

/// <summary>The Winograd F(2×2, 3×3) weight gradient against the nested-loop definition, at every size (Suits picks where it is used).</summary>
public class WinogradWeightGradientTests
{
    [Theory]
    [InlineData(2, 32, 32, 32, 32, 1)]      // the CIFAR model's second layer: 16 tiles per row, 3 filter groups (the last partial); dY read in place
    [InlineData(3, 32, 16, 16, 64, 1)]      // 8 tiles per row: two rows per 16-tile vector
    [InlineData(2, 64, 8, 8, 128, 1)]       // 4 tiles per row, 16 tiles per image
    [InlineData(2, 32, 7, 9, 5, 1)]         // odd output sizes: the last tiles half outside; fewer filters than a group
    [InlineData(2, 64, 9, 7, 13, 0)]        // no padding
    [InlineData(3, 32, 5, 6, 20, 2)]        // padding wider than the kernel's reach
    [InlineData(1, 32, 33, 35, 12, 1)]      // 18 tiles per row: two vectors per tile row, read through the zero-bordered copy
    [InlineData(1, 32, 6, 64, 12, 1)]       // 32 tiles per row, read in place
    public void Winograd_weight_gradient_equals_the_reference(int n, int c, int h, int w, int o, int padding)
    {
        var random = new Random(n * 1000 + c * 100 + h * 10 + w);
        var x = ConvTestData.Randn(random, n, c, h, w);
        var g = new WindowGeometry(h, w, 3, 3, 1, 1, padding, padding, 1, 1, h + 2 * padding - 2, w + 2 * padding - 2);
        var dy = ConvTestData.Randn(random, n, o, g.OutHeight, g.OutWidth);
        var dw = new float[o * c * 9];
        WinogradWeightGradient.Compute(x.ToArray(), dy.ToArray(), n, c, g, o, dw, threads: 2);

        var expected = ConvolutionReference.WeightGradient(x, dy, new Shape(o, c, 3, 3), (1, 1), (padding, padding), (1, 1));
        ConvTestData.AssertClose(expected, Tensor.FromArray(dw, o, c, 3, 3), rtol: 2e-4f);   // the transforms round differently
    }

    [Fact]
    public void Splitting_images_across_threads_matches_one_thread_and_repeats_exactly()
    {
        var random = new Random(5);
        int n = 5, c = 32, size = 16, o = 24;
        var g = new WindowGeometry(size, size, 3, 3, 1, 1, 1, 1, 1, 1, size, size);
        var x = ConvTestData.Randn(random, n, c, size, size).ToArray();
        var dy = ConvTestData.Randn(random, n, o, size, size).ToArray();
        float[] one = new float[o * c * 9], two = new float[one.Length], again = new float[one.Length];
        WinogradWeightGradient.Compute(x, dy, n, c, g, o, one, threads: 1);
        WinogradWeightGradient.Compute(x, dy, n, c, g, o, two, threads: 2);
        WinogradWeightGradient.Compute(x, dy, n, c, g, o, again, threads: 2);
        ConvTestData.AssertClose(Tensor.FromArray(one, one.Length), Tensor.FromArray(two, two.Length));
        Assert.Equal(two, again);
    }
}
