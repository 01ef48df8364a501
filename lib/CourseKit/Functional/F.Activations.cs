using System.Numerics.Tensors;

namespace CourseKit;

public static partial class F
{
    /// <summary>ReLU: max(0, x) element-wise.</summary>
    public static Tensor Relu(Tensor input) => input.Relu();

    /// <summary>Leaky ReLU: x for x &gt; 0, <paramref name="negativeSlope"/>·x otherwise.</summary>
    public static Tensor LeakyRelu(Tensor input, float negativeSlope = 0.01f) => input.LeakyRelu(negativeSlope);

    /// <summary>ELU: x for x &gt; 0, α(eˣ − 1) otherwise.</summary>
    public static Tensor Elu(Tensor input, float alpha = 1f) => input.Elu(alpha);

    /// <summary>Logistic sigmoid σ(x) = 1/(1 + e⁻ˣ) element-wise.</summary>
    public static Tensor Sigmoid(Tensor input) => input.Sigmoid();

    /// <summary>Hyperbolic tangent element-wise.</summary>
    public static Tensor Tanh(Tensor input) => input.Tanh();

    /// <summary>
    /// PReLU: x for x &gt; 0, a·x otherwise, with a learned slope a. <paramref name="weight"/> holds either
    /// one slope shared by all elements or one per channel (axis 1 of the input).
    /// </summary>
    /// <exception cref="ShapeException">The weight has neither 1 value nor one per channel.</exception>
    public static Tensor Prelu(Tensor input, Tensor weight)
    {
        int slopes = weight.Numel;
        int channels = input.Rank >= 2 ? input.Size(1) : 1;
        if (weight.Rank > 1 || (slopes != 1 && slopes != channels))
            throw new ShapeException($"PReLU: the weight must hold 1 slope or one per channel (axis 1); got weight {weight.Shape} for input {input.Shape}.");

        var x = input.Materialize();
        var a = weight.ToArray();
        // The input is a run of blocks of `inner` elements, block b belonging to channel b mod C.
        int inner = slopes == 1 ? x.Numel : x.Numel / Math.Max(1, x.Size(0) * channels);
        int Slope(int element) => slopes == 1 ? 0 : element / inner % channels;

        var y = new float[x.Numel];
        var xs = x.Span;
        for (int i = 0; i < y.Length; i++) y[i] = xs[i] > 0 ? xs[i] : a[Slope(i)] * xs[i];

        return Tensor.Record(new Tensor(y, x.Shape), "Prelu", [input, weight], g =>
        {
            // dy/dx = 1 or a;  dy/da = x where x ≤ 0, summed over all the elements sharing that slope
            var X = x.Span; var G = g.Materialize().Span;
            var dx = new float[X.Length];
            var da = new float[slopes];
            for (int i = 0; i < X.Length; i++)
            {
                if (X[i] > 0) { dx[i] = G[i]; continue; }
                dx[i] = a[Slope(i)] * G[i];
                da[Slope(i)] += X[i] * G[i];
            }
            return [new Tensor(dx, x.Shape), new Tensor(da, weight.Shape)];
        });
    }

    /// <summary>
    /// Softmax along <paramref name="axis"/>: eˣⁱ / Σⱼ eˣʲ, so each slice is a probability distribution
    /// (positive, summing to 1). Computed stably: the slice maximum is subtracted first.
    /// </summary>
    public static Tensor Softmax(Tensor input, int axis)
    {
        var y = MapAlongAxis(input, axis, (x, d) =>
        {
            TensorPrimitives.Subtract(x, TensorPrimitives.Max(x), d);      // x − max: the largest exponent is e⁰ = 1
            TensorPrimitives.Exp(d, d);
            TensorPrimitives.Divide(d, TensorPrimitives.Sum(d), d);
        });
        // dx = y ⊙ (g − Σ g·y)   (Σ along the axis)
        return Tensor.Record(y, "Softmax", [input], g => [y * (g - (g * y).Sum(axis, keepDim: true))]);
    }

    /// <summary>
    /// Log-softmax along <paramref name="axis"/>: xᵢ − log Σⱼ eˣʲ, the logarithm of <see cref="Softmax"/>
    /// without its rounding problems (the log-sum-exp is taken after subtracting the slice maximum).
    /// </summary>
    public static Tensor LogSoftmax(Tensor input, int axis)
    {
        var y = MapAlongAxis(input, axis, (x, d) =>
        {
            float max = TensorPrimitives.Max(x);
            TensorPrimitives.Subtract(x, max, d);
            TensorPrimitives.Exp(d, d);
            float logSumExp = max + MathF.Log(TensorPrimitives.Sum(d));
            TensorPrimitives.Subtract(x, logSumExp, d);
        });
        // dx = g − softmax ⊙ Σ g   (softmax = e^y, Σ along the axis)
        return Tensor.Record(y, "LogSoftmax", [input], g => [g - y.Exp() * g.Sum(axis, keepDim: true)]);
    }

    /// <summary>
    /// Applies <paramref name="slice"/> to every 1-D slice of <paramref name="input"/> along
    /// <paramref name="axis"/> (each row of (N, C) logits for axis 1), giving a new tensor (values only).
    /// </summary>
    private static Tensor MapAlongAxis(Tensor input, int axis, Tensor.SpanAction slice)
    {
        int a = Shape.NormalizeAxis(axis, input.Rank);
        var x = input.Materialize();
        var (outer, n, inner) = x.Split(a);
        var result = new Tensor(new float[x.Numel], x.Shape);
        var src = x.Span; var dst = result.Span;
        if (inner == 1)                                            // the slices are rows: no copying
        {
            for (int o = 0; o < outer; o++) slice(src.Slice(o * n, n), dst.Slice(o * n, n));
            return result;
        }
        Span<float> gathered = new float[n], computed = new float[n];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int first = o * n * inner + i;                     // elements first, first + inner, first + 2·inner, …
                for (int k = 0; k < n; k++) gathered[k] = src[first + k * inner];
                slice(gathered, computed);
                for (int k = 0; k < n; k++) dst[first + k * inner] = computed[k];
            }
        return result;
    }
}
