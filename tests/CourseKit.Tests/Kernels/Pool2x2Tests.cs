using CourseKit.Kernels;

namespace CourseKit.Tests.Kernels;

/// <summary>The vectorised 2×2 max-pooling kernel against the definition, with ties, NaNs and odd sizes.</summary>
public class Pool2x2Tests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(9, 19)]      // odd: the last row and column belong to no window; 9 windows per row: vector + scalar tail
    [InlineData(32, 32)]
    [InlineData(10, 10)]     // 5 windows per row: two overlapping groups of 4
    [InlineData(8, 8)]       // 4 windows per row: one group of 4
    [InlineData(6, 7)]       // 3 windows per row: scalar
    [InlineData(28, 35)]
    public void The_2x2_kernel_keeps_the_largest_value_and_sends_the_gradient_to_the_first_one(int height, int width)
    {
        var random = new Random(height * 100 + width);
        var x = new float[height * width];
        for (int i = 0; i < x.Length; i++) x[i] = random.Next(4);                   // few levels: many ties
        x[random.Next(x.Length)] = float.NaN;                                        // NaN wins its window
        x[random.Next(x.Length)] = float.NaN;
        var g = new WindowGeometry(height, width, 2, 2, 2, 2, 0, 0, 1, 1, height / 2, width / 2);
        Assert.True(Pool2x2.Applies(g));

        var y = new float[g.OutputArea];
        Pool2x2.Forward(x, g, y);
        var winners = new int[g.OutputArea];
        for (int i = 0; i < g.OutHeight; i++)
            for (int j = 0; j < g.OutWidth; j++)
            {
                int bestAt = 2 * i * width + 2 * j;
                foreach (int at in new[] { bestAt + 1, bestAt + width, bestAt + width + 1 })
                    if (x[at] > x[bestAt] || float.IsNaN(x[at]) && !float.IsNaN(x[bestAt])) bestAt = at;
                winners[i * g.OutWidth + j] = bestAt;
                Assert.Equal(x[bestAt], y[i * g.OutWidth + j]);
            }

        var dy = Enumerable.Range(1, g.OutputArea).Select(v => (float)v).ToArray();
        var dx = Enumerable.Repeat(float.NaN, x.Length).ToArray();                 // every element must be written
        Pool2x2.Backward(x, y, dy, g, dx);
        var expected = new float[x.Length];
        for (int k = 0; k < dy.Length; k++) expected[winners[k]] += dy[k];         // only the first largest gets the gradient
        Assert.Equal(expected, dx);
    }
}
