using System.Numerics.Tensors;

namespace CourseKit;

public partial class Tensor
{
    /// <summary>Applies a SIMD span function to every element (values only; callers record the gradient).</summary>
    internal Tensor Map(SpanAction kernel)
    {
        var src = Materialize();
        var result = Uninitialized(Shape);
        Kernels.ParallelChunks.For(Numel, (start, count) =>
            kernel(src.Storage.AsSpan(src.Offset + start, count), result.Storage.AsSpan(start, count)));
        return result;
    }

    internal delegate void SpanAction(ReadOnlySpan<float> x, Span<float> destination);

    /// <summary>eˣ element-wise.</summary>
    public Tensor Exp()
    {
        var y = Map(TensorPrimitives.Exp);
        return Record(y, "Exp", [this], g => [g * y]);                          // d eˣ = eˣ
    }

    /// <summary>Natural logarithm element-wise.</summary>
    public Tensor Log()
    {
        var y = Map(TensorPrimitives.Log);
        return Record(y, "Log", [this], g => [g / this]);                       // d ln x = 1/x
    }

    /// <summary>Square root element-wise.</summary>
    public Tensor Sqrt()
    {
        var y = Map(TensorPrimitives.Sqrt);
        return Record(y, "Sqrt", [this], g => [g * 0.5f / y]);                  // d √x = 1/(2√x)
    }

    /// <summary>Absolute value element-wise (gradient 0 at 0).</summary>
    public Tensor Abs()
    {
        var y = Map(TensorPrimitives.Abs);
        return Record(y, "Abs", [this], g => [g * Sign()]);                     // d|x| = sign(x)
    }

    /// <summary>−1, 0 or +1 element-wise (no gradient).</summary>
    public Tensor Sign() => Map((x, d) => { for (int i = 0; i < x.Length; i++) d[i] = MathF.Sign(x[i]); });

    /// <summary>xᵖ element-wise.</summary>
    public Tensor Pow(float p)
    {
        var y = Map((x, d) => TensorPrimitives.Pow(x, p, d));
        return Record(y, "Pow", [this], g => [g * p * Pow(p - 1)]);             // d xᵖ = p·xᵖ⁻¹
    }

    /// <summary>x² element-wise.</summary>
    public Tensor Square() => Pow(2f);

    /// <summary>Hyperbolic tangent element-wise.</summary>
    public Tensor Tanh()
    {
        var y = Map(TensorPrimitives.Tanh);
        return Record(y, "Tanh", [this], g => [g * (1f - y * y)]);              // d tanh = 1 − tanh²
    }

    /// <summary>Logistic sigmoid σ(x) = 1/(1+e⁻ˣ) element-wise.</summary>
    public Tensor Sigmoid()
    {
        var y = Map(TensorPrimitives.Sigmoid);
        return Record(y, "Sigmoid", [this], g => [g * y * (1f - y)]);           // dσ = σ(1 − σ)
    }

    /// <summary>ReLU: max(0, x) element-wise (gradient 0 for x ≤ 0).</summary>
    public Tensor Relu()
    {
        var y = Map((x, d) => TensorPrimitives.Max(x, 0f, d));
        return Record(y, "Relu", [this], g => [ReluBackward(g, y)]);             // d relu = [x > 0]
    }

    /// <summary>Passes the gradient where the ReLU output is positive, zero elsewhere.</summary>
    internal static Tensor ReluBackward(Tensor g, Tensor y)
    {
        var dx = Uninitialized(y.Shape);
        var dy = g.Materialize();
        Kernels.ParallelChunks.For(y.Numel, (start, count) => Kernels.Masking.PassWherePositive(
            y.Storage.AsSpan(y.Offset + start, count), dy.Storage.AsSpan(dy.Offset + start, count), dx.Storage.AsSpan(start, count)));
        return dx;
    }

    /// <summary>Leaky ReLU: x for x &gt; 0, slope·x otherwise.</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f)
    {
        var y = Map((x, d) => { for (int i = 0; i < x.Length; i++) d[i] = x[i] > 0 ? x[i] : negativeSlope * x[i]; });
        var slope = Map((x, d) => { for (int i = 0; i < x.Length; i++) d[i] = x[i] > 0 ? 1f : negativeSlope; });
        return Record(y, "LeakyRelu", [this], g => [g * slope]);                // d = 1 or slope
    }

    /// <summary>ELU: x for x &gt; 0, α(eˣ − 1) otherwise.</summary>
    public Tensor Elu(float alpha = 1f)
    {
        var y = Map((x, d) => { for (int i = 0; i < x.Length; i++) d[i] = x[i] > 0 ? x[i] : alpha * (MathF.Exp(x[i]) - 1f); });
        return Record(y, "Elu", [this], g =>
        {
            var slope = Map((x, d) => { for (int i = 0; i < x.Length; i++) d[i] = x[i] > 0 ? 1f : alpha * MathF.Exp(x[i]); });
            return [g * slope];                                                 // d = 1 or α·eˣ
        });
    }

    /// <summary>Limits every element to [min, max] (gradient 0 where clipped).</summary>
    public Tensor Clamp(float min, float max)
    {
        var y = Map((x, d) => { TensorPrimitives.Max(x, min, d); TensorPrimitives.Min(d, max, d); });
        return Record(y, "Clamp", [this], g => [g * Ge(min) * Le(max)]);
    }
}
