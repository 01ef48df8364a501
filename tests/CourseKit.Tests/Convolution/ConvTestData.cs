namespace CourseKit.Tests.Convolution;

/// <summary>
/// Random test tensors from a private generator: the library's <see cref="Rng"/> is shared by test classes
/// running in parallel, so these tests draw their own numbers to stay repeatable.
/// </summary>
internal static class ConvTestData
{
    /// <summary>Standard-normal values.</summary>
    public static Tensor Randn(Random random, params int[] shape)
    {
        var values = new float[new Shape(shape).Numel];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return Tensor.FromArray(values, shape);
    }

    /// <summary>
    /// A shuffled 0, 0.1, 0.2, …: every value distinct and neighbours at least 0.1 apart (≫ GradCheck's ε),
    /// so max-pool windows never tie and finite differences never cross a kink.
    /// </summary>
    public static Tensor Distinct(Random random, params int[] shape)
    {
        int n = new Shape(shape).Numel;
        var values = Enumerable.Range(0, n).Select(i => i * 0.1f).ToArray();
        random.Shuffle(values);
        return Tensor.FromArray(values, shape);
    }

    /// <summary>Fails unless the shapes match and |actual − expected| ≤ rtol·max(1, |expected|) everywhere.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, float rtol = 1e-4f)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        float[] e = expected.ToArray(), a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(a[i] - e[i]) <= rtol * Math.Max(1f, Math.Abs(e[i])),
                $"element {i}: expected {e[i]:R}, got {a[i]:R}");
    }

    /// <summary>Replaces every parameter of <paramref name="module"/> with N(0, scale²) values from <paramref name="random"/>.</summary>
    public static void Reinitialise(Module module, Random random, float scale)
    {
        using var _ = Tensor.NoGrad();
        foreach (var p in module.Parameters()) p.CopyFrom(Randn(random, p.Shape.ToArray()) * scale);
    }
}
