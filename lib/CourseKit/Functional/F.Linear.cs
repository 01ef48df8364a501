namespace CourseKit;

/// <summary>
/// The layers as plain functions (like <c>torch.nn.functional</c>): each takes its input and its
/// weights as tensors and returns the output, recording the gradient rule. The classes in
/// <c>Layers/</c> hold the weights and call these.
/// </summary>
public static partial class F
{
    /// <summary>
    /// A fully connected layer: y = x·Wᵀ + b. <paramref name="input"/> is (N, in) — or any (…, in),
    /// the leading axes being kept — <paramref name="weight"/> is (out, in) and <paramref name="bias"/> (out).
    /// </summary>
    /// <exception cref="ShapeException">The last axis of the input is not in_features, or the bias does not have out_features values.</exception>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        if (weight.Rank != 2)
            throw new ShapeException($"Linear: the weight must be (out_features, in_features); got {weight.Shape}.");
        int outFeatures = weight.Size(0), inFeatures = weight.Size(1);
        if (input.Rank == 0 || input.Size(-1) != inFeatures)
            throw new ShapeException($"Linear({inFeatures}→{outFeatures}): expected input (N, {inFeatures}), got {input.Shape}.");
        if (bias is not null && bias.Shape != new Shape(outFeatures))
            throw new ShapeException($"Linear({inFeatures}→{outFeatures}): expected bias ({outFeatures}), got {bias.Shape}.");

        var rows = input.Reshape(-1, inFeatures);                 // (…, in) → (M, in)
        var y = rows.MatMul(weight.T);                            // Wᵀ is a transposed view: GEMM reads W directly
        if (bias is not null) y += bias;                          // broadcast over the rows
        var outShape = input.Shape.ToArray();
        outShape[^1] = outFeatures;
        return y.Reshape(outShape);
    }
}
