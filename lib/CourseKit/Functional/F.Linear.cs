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
        int m = rows.Size(0);
        float[] x = Dense(rows), w = Dense(weight);
        var y = Kernels.LargeBuffers.Allocate(m * outFeatures, zeroed: false);
        if (bias is not null)
            for (int i = 0; i < m; i++) bias.CopyTo(y.AsSpan(i * outFeatures, outFeatures));     // each row starts at b
        Kernels.Gemm.Sgemm(false, true, m, outFeatures, inFeatures, 1f, x, inFeatures, w, inFeatures,
            bias is null ? 0f : 1f, y, outFeatures);                                             // y = x·Wᵀ (+ b)

        Tensor[] inputs = bias is null ? [rows, weight] : [rows, weight, bias];
        var output = Tensor.Record(new Tensor(y, new Shape(m, outFeatures)), "Linear", inputs, gradOutput =>
        {
            var dy = Dense(gradOutput);
            float[]? dx = null, dw = null;
            if (rows.RequiresGrad)
            {
                dx = Kernels.LargeBuffers.Allocate(m * inFeatures, zeroed: false);
                Kernels.Gemm.Sgemm(false, false, m, inFeatures, outFeatures, 1f, dy, outFeatures, w, inFeatures, 0f, dx, inFeatures);   // dX = dY·W
            }
            if (weight.RequiresGrad)
            {
                dw = Kernels.LargeBuffers.Allocate(outFeatures * inFeatures, zeroed: false);
                Kernels.Gemm.Sgemm(true, false, outFeatures, inFeatures, m, 1f, dy, outFeatures, x, inFeatures, 0f, dw, inFeatures);   // dW = dYᵀ·X
            }
            Tensor?[] grads = [dx is null ? null : new Tensor(dx, rows.Shape), dw is null ? null : new Tensor(dw, weight.Shape)];
            if (bias is null) return grads;
            return [.. grads, bias.RequiresGrad ? gradOutput.Sum(0) : null];                   // db = Σ over the rows of dY
        });
        var outShape = input.Shape.ToArray();
        outShape[^1] = outFeatures;
        return output.Reshape(outShape);
    }
}
