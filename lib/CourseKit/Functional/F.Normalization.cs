using System.Numerics.Tensors;

namespace CourseKit;

public static partial class F
{
    /// <summary>
    /// Batch normalisation over the channel axis 1 of an (N, C), (N, C, L) or (N, C, H, W) input:
    /// y = γ·(x − μ)/√(σ² + ε) + β per channel. In training, μ and σ² are the batch's mean and
    /// (biased) variance over every axis but the channel, and the running statistics (if given) move
    /// towards them: running = (1 − momentum)·running + momentum·batch, using the unbiased variance
    /// as PyTorch does. Otherwise the running statistics are used.
    /// </summary>
    /// <param name="input">The activations, channels on axis 1.</param>
    /// <param name="runningMean">Per-channel running mean (C), updated in place in training; may be null in training.</param>
    /// <param name="runningVar">Per-channel running variance (C), updated in place in training; may be null in training.</param>
    /// <param name="weight">γ (C), or null for 1.</param>
    /// <param name="bias">β (C), or null for 0.</param>
    /// <param name="training">Normalise with the batch statistics (true) or with the running ones (false).</param>
    /// <param name="momentum">How far the running statistics move towards the batch statistics per call.</param>
    /// <param name="eps">Added to the variance so the division is safe.</param>
    /// <exception cref="ShapeException">The input has fewer than 2 axes, or a per-channel tensor does not have C values.</exception>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, float momentum = 0.1f, float eps = 1e-5f)
    {
        if (input.Rank < 2)
            throw new ShapeException($"BatchNorm: expected input (N, C, …) with the channels on axis 1, got {input.Shape}.");
        int n = input.Size(0), channels = input.Size(1);
        int spatial = input.Numel / Math.Max(1, n * channels);    // H·W (or L, or 1)
        int m = n * spatial;                                       // values per channel
        foreach (var (t, name) in new[] { (runningMean, "running_mean"), (runningVar, "running_var"), (weight, "weight"), (bias, "bias") })
            if (t is not null && t.Shape != new Shape(channels))
                throw new ShapeException($"BatchNorm: input {input.Shape} has {channels} channels, so {name} must be ({channels}); got {t.Shape}.");
        if (!training && (runningMean is null || runningVar is null))
            throw new ArgumentException("BatchNorm: evaluation mode (training = false) normalises with the running statistics, so running_mean and running_var are needed.");
        if (training && m <= 1)
            throw new ArgumentException($"BatchNorm: training needs more than 1 value per channel to compute a variance; input {input.Shape} has {m}.");

        var gamma = weight ?? Tensor.Ones(channels);
        var beta = bias ?? Tensor.Zeros(channels);
        var x = input.Materialize();
        var mean = training ? new float[channels] : runningMean!.ToArray();
        var variance = training ? new float[channels] : runningVar!.ToArray();
        var invStd = new float[channels];
        var xHat = new float[x.Numel];                             // x̂ = (x − μ)/σ, kept for the backward pass
        var y = new float[x.Numel];
        var G = gamma.ToArray(); var B = beta.ToArray();
        for (int c = 0; c < channels; c++)
        {
            if (training)
            {
                float sum = 0, squares = 0;
                for (int i = 0; i < n; i++) sum += TensorPrimitives.Sum(Block(x.Span, i, c));
                mean[c] = sum / m;
                for (int i = 0; i < n; i++)
                {
                    var centered = Block(xHat, i, c);
                    TensorPrimitives.Subtract(Block(x.Span, i, c), mean[c], centered);
                    squares += TensorPrimitives.SumOfSquares(centered);
                }
                variance[c] = squares / m;                          // biased: divides by m
            }
            invStd[c] = 1f / MathF.Sqrt(variance[c] + eps);
            for (int i = 0; i < n; i++)
            {
                var normalized = Block(xHat, i, c);
                TensorPrimitives.Subtract(Block(x.Span, i, c), mean[c], normalized);
                TensorPrimitives.Multiply(normalized, invStd[c], normalized);
                TensorPrimitives.Multiply(normalized, G[c], Block(y, i, c));            // y = γ·x̂ + β
                TensorPrimitives.Add(Block(y, i, c), B[c], Block(y, i, c));
            }
        }

        if (training && runningMean is not null && runningVar is not null)
            using (Tensor.NoGrad())
            {
                var unbiased = variance.Select(v => v * m / (m - 1f)).ToArray();
                runningMean.MulInPlace(1 - momentum).AddInPlace(Tensor.FromArray(mean, channels), momentum);
                runningVar.MulInPlace(1 - momentum).AddInPlace(Tensor.FromArray(unbiased, channels), momentum);
            }

        return Tensor.Record(new Tensor(y, x.Shape), "BatchNorm", [input, gamma, beta], g =>
        {
            var dy = g.Materialize().Span;
            var dx = new float[xHat.Length];
            var dGamma = new float[channels];
            var dBeta = new float[channels];
            for (int c = 0; c < channels; c++)
            {
                float sumDy = 0, sumDyXHat = 0;
                for (int i = 0; i < n; i++)
                {
                    sumDy += TensorPrimitives.Sum(Block(dy, i, c));
                    sumDyXHat += TensorPrimitives.Dot(Block(dy, i, c), Block(xHat, i, c));
                }
                dGamma[c] = sumDyXHat;                              // dγ = Σ dy·x̂
                dBeta[c] = sumDy;                                   // dβ = Σ dy
                // Training (μ and σ depend on x):  dx = (γ/σ)/m · (m·dy − Σdy − x̂·Σ(dy·x̂))
                // Evaluation (μ and σ are constants): dx = (γ/σ)·dy
                float scale = G[c] * invStd[c];
                for (int i = 0; i < n; i++)
                {
                    var dxBlock = Block(dx, i, c);
                    if (training)
                    {
                        TensorPrimitives.Multiply(Block(xHat, i, c), -sumDyXHat / m, dxBlock);     // −x̂·Σ(dy·x̂)/m
                        TensorPrimitives.Add(dxBlock, Block(dy, i, c), dxBlock);                 // + dy
                        TensorPrimitives.Add(dxBlock, -sumDy / m, dxBlock);                      // − Σdy/m
                        TensorPrimitives.Multiply(dxBlock, scale, dxBlock);                      // · γ/σ
                    }
                    else TensorPrimitives.Multiply(Block(dy, i, c), scale, dxBlock);
                }
            }
            return [new Tensor(dx, x.Shape), new Tensor(dGamma, gamma.Shape), new Tensor(dBeta, beta.Shape)];
        });

        // The values of sample i in channel c: one contiguous block of H·W elements.
        Span<float> Block(Span<float> data, int i, int c) => data.Slice((i * channels + c) * spatial, spatial);
    }
}
