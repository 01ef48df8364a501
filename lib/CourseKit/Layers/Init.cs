namespace CourseKit;

/// <summary>
/// Weight initialisation schemes (like <c>nn.init</c>). The fan-in of a weight is the number of
/// inputs feeding one output: in_features for Linear, in_channels·kH·kW for Conv2d.
/// </summary>
public static class Init
{
    /// <summary>Fan-in and fan-out of a weight of shape (out, in) or (out, in, kH, kW).</summary>
    public static (int FanIn, int FanOut) Fans(Shape weightShape)
    {
        if (weightShape.Rank < 2) throw new ArgumentException($"Fan-in needs a weight with at least 2 axes; got {weightShape}.");
        int receptive = 1;
        for (int i = 2; i < weightShape.Rank; i++) receptive *= weightShape[i];
        return (weightShape[1] * receptive, weightShape[0] * receptive);
    }

    /// <summary>He/Kaiming uniform: U(−b, b) with b = gain·√(3 / fan_in), gain = √2 for ReLU.</summary>
    public static Tensor KaimingUniform(params int[] shape)
    {
        var (fanIn, _) = Fans(shape);
        float bound = MathF.Sqrt(2f) * MathF.Sqrt(3f / fanIn);
        return Tensor.Uniform(-bound, bound, shape);
    }

    /// <summary>He/Kaiming normal: N(0, 2 / fan_in) — keeps the activation variance steady through ReLU layers.</summary>
    public static Tensor KaimingNormal(params int[] shape)
    {
        var (fanIn, _) = Fans(shape);
        return Tensor.Normal(0f, MathF.Sqrt(2f / fanIn), shape);
    }

    /// <summary>Glorot/Xavier uniform: U(−b, b) with b = √(6 / (fan_in + fan_out)) — for tanh and sigmoid layers.</summary>
    public static Tensor XavierUniform(params int[] shape)
    {
        var (fanIn, fanOut) = Fans(shape);
        float bound = MathF.Sqrt(6f / (fanIn + fanOut));
        return Tensor.Uniform(-bound, bound, shape);
    }

    /// <summary>Glorot/Xavier normal: N(0, 2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(params int[] shape)
    {
        var (fanIn, fanOut) = Fans(shape);
        return Tensor.Normal(0f, MathF.Sqrt(2f / (fanIn + fanOut)), shape);
    }

    /// <summary>
    /// PyTorch's default for Linear and Conv2d: weight ~ U(−1/√fan_in, 1/√fan_in) (Kaiming uniform with
    /// a = √5), and the bias the same. Used so that CourseKit trains like the PyTorch examples.
    /// </summary>
    public static Tensor PyTorchDefault(int fanIn, params int[] shape)
    {
        float bound = 1f / MathF.Sqrt(Math.Max(1, fanIn));
        return Tensor.Uniform(-bound, bound, shape);
    }
}
