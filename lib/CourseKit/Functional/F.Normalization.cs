using System.Numerics;
using System.Runtime.InteropServices;

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
        bool training = false, float momentum = 0.1f, float eps = 1e-5f) =>
        BatchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps, relu: false);

    /// <summary>
    /// <see cref="BatchNorm(Tensor, Tensor?, Tensor?, Tensor?, Tensor?, bool, float, float)"/>, optionally followed by
    /// ReLU in the same pass: y = max(0, γ·x̂ + β), whose backward first keeps dy only where y &gt; 0
    /// (used by <see cref="Sequential"/> for BatchNorm2d → ReLU), and optionally by 2×2 max pooling with stride 2
    /// (BatchNorm2d → ReLU → MaxPool2d(2)): each sample's normalised plane is then made in a small buffer and
    /// pooled from there, so the full-size activations and their gradient never go to memory — backward makes
    /// each sample's pooling gradient again from x and the pooled output, then runs the normalisation's two passes on it.
    /// </summary>
    internal static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum, float eps, bool relu, bool pool2x2 = false)
    {
        if (input.Rank < 2)
            throw new ShapeException($"BatchNorm: expected input (N, C, …) with the channels on axis 1, got {input.Shape}.");
        var pool = pool2x2
            ? Window("MaxPool2d(k=2, s=2)", input.Shape, (2, 2), (2, 2), default, (1, 1), $"input {input.Shape}")
            : default;
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
        int outputSpatial = pool2x2 ? pool.OutputArea : spatial;
        var y = Kernels.LargeBuffers.Allocate(n * channels * outputSpatial, zeroed: false);
        var outputShape = pool2x2 ? new Shape(n, channels, pool.OutHeight, pool.OutWidth) : x.Shape;
        var G = gamma.ToArray(); var B = beta.ToArray();
        // The loops walk the tensors in memory order: sample by sample, each sample's channels one after
        // another (threads take ranges of samples). Walking one channel through all samples instead jumps
        // C·H·W floats from plane to plane, which the hardware prefetchers do not follow: with small planes
        // (8×8 in the CIFAR-10 network) that is a wait for memory every 256 bytes.
        if (training)
        {
            // Each plane (sample i, channel c) gets its own mean and Σ(x − mean)², in two passes while it is
            // in the L1 cache; per channel the equal-sized planes then combine exactly (law of total variance):
            // μ = mean of the plane means, Σ(x − μ)² = Σ planes' Σ(x − mean)² + H·W·Σ (plane mean − μ)².
            var planeMean = new float[n * channels];
            var planeSquares = new float[n * channels];
            ForEachParallel(n, (long)channels * spatial, i =>
            {
                for (int c = 0; c < channels; c++)
                    (planeMean[i * channels + c], planeSquares[i * channels + c]) = Moments(Block(x.Span, i, c));
            });
            for (int c = 0; c < channels; c++)
            {
                double sum = 0, squares = 0;
                for (int i = 0; i < n; i++) sum += planeMean[i * channels + c];
                double mu = sum / n;
                for (int i = 0; i < n; i++)
                {
                    double d = planeMean[i * channels + c] - mu;
                    squares += planeSquares[i * channels + c] + spatial * d * d;
                }
                mean[c] = (float)mu;
                variance[c] = (float)(squares / m);                 // biased: divides by m
            }
        }
        var scale = new float[channels];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            invStd[c] = 1f / MathF.Sqrt(variance[c] + eps);
            scale[c] = G[c] * invStd[c];                            // y = γ·(x − μ)/σ + β = x·scale + shift
            shift[c] = B[c] - mean[c] * scale[c];
        }
        ForEachParallel(n, (long)channels * spatial, i =>
        {
            if (!pool2x2)
                for (int c = 0; c < channels; c++) Affine(Block(x.Span, i, c), scale[c], shift[c], Block(y, i, c), relu);
            else
            {
                var plane = System.Buffers.ArrayPool<float>.Shared.Rent(spatial);
                for (int c = 0; c < channels; c++)
                {
                    Affine(Block(x.Span, i, c), scale[c], shift[c], plane.AsSpan(0, spatial), relu);
                    Kernels.Pool2x2.Forward(plane.AsSpan(0, spatial), pool, PooledBlock(y, i, c));
                }
                System.Buffers.ArrayPool<float>.Shared.Return(plane);
            }
        });

        if (training && runningMean is not null && runningVar is not null)
            using (Tensor.NoGrad())
            {
                var unbiased = variance.Select(v => v * m / (m - 1f)).ToArray();
                runningMean.MulInPlace(1 - momentum).AddInPlace(Tensor.FromArray(mean, channels), momentum);
                runningVar.MulInPlace(1 - momentum).AddInPlace(Tensor.FromArray(unbiased, channels), momentum);
            }

        string operation = pool2x2 ? "BatchNorm+ReLU+MaxPool2d" : relu ? "BatchNorm+ReLU" : "BatchNorm";
        return Tensor.Record(new Tensor(y, outputShape), operation, [input, gamma, beta], g =>
        {
            var dyTensor = g.Materialize();
            var dx = Kernels.LargeBuffers.Allocate(x.Numel, zeroed: false);
            // With the fused ReLU, dy counts only where the output was positive, i.e. where x·scale + shift > 0
            // (recomputed from x exactly as the forward pass computed it). x̂ = (x − μ)/σ is recomputed too:
            // Σ dy·x̂ = (Σ dy·x − μ·Σ dy)/σ. With the fused pooling, each sample's pooling gradient dz is made
            // first (from x and the pooled output, written where dx goes) and read back from the cache.
            var planeSumDy = new double[n * channels];
            var planeSumDyX = new double[n * channels];
            ForEachParallel(n, (long)channels * spatial, i =>
            {
                if (pool2x2) PoolingGradient(i);
                for (int c = 0; c < channels; c++)
                    (planeSumDy[i * channels + c], planeSumDyX[i * channels + c]) = GradientSums(Block(x.Span, i, c), Dy(i, c), scale[c], shift[c], relu);
            });
            var dGamma = new float[channels];
            var dBeta = new float[channels];
            var (a, b, k) = (new float[channels], new float[channels], new float[channels]);
            for (int c = 0; c < channels; c++)
            {
                double sumDy = 0, sumDyX = 0;
                for (int i = 0; i < n; i++)
                {
                    sumDy += planeSumDy[i * channels + c];
                    sumDyX += planeSumDyX[i * channels + c];
                }
                float sumDyXHat = (float)((sumDyX - mean[c] * sumDy) * invStd[c]);
                dGamma[c] = sumDyXHat;                              // dγ = Σ dy·x̂
                dBeta[c] = (float)sumDy;                            // dβ = Σ dy
                // Training (μ and σ depend on x):  dx = (γ/σ)/m · (m·dy − Σdy − x̂·Σ(dy·x̂))
                //   which, with x̂ = (x − μ)/σ and a = γ/σ, is a·dy + b·x + k for the per-channel constants below.
                // Evaluation (μ and σ are constants): dx = (γ/σ)·dy
                a[c] = G[c] * invStd[c];
                b[c] = training ? -a[c] * sumDyXHat * invStd[c] / m : 0f;             // coefficient of x (through x̂ = (x − μ)·invStd)
                k[c] = training ? (float)(-a[c] * sumDy / m) - b[c] * mean[c] : 0f;   // the constant terms
            }
            ForEachParallel(n, (long)channels * spatial, i =>
            {
                for (int c = 0; c < channels; c++)
                    InputGradient(Block(x.Span, i, c), Dy(i, c), scale[c], shift[c], relu, a[c], b[c], k[c], Block(dx, i, c));
            });
            return [new Tensor(dx, x.Shape), new Tensor(dGamma, gamma.Shape), new Tensor(dBeta, beta.Shape)];

            Span<float> Dy(int i, int c) => pool2x2 ? Block(dx, i, c) : Block(dyTensor.Span, i, c);

            // dz for sample i, written where dx will go: each plane normalised again as the forward pass did,
            // and the pooled gradient sent to each window's winner (Pool2x2.Backward).
            void PoolingGradient(int i)
            {
                var plane = System.Buffers.ArrayPool<float>.Shared.Rent(spatial);
                for (int c = 0; c < channels; c++)
                {
                    Affine(Block(x.Span, i, c), scale[c], shift[c], plane.AsSpan(0, spatial), relu);
                    Kernels.Pool2x2.Backward(plane.AsSpan(0, spatial), PooledBlock(y, i, c), PooledBlock(dyTensor.Span, i, c), pool, Block(dx, i, c));
                }
                System.Buffers.ArrayPool<float>.Shared.Return(plane);
            }
        });

        // The values of sample i in channel c: one contiguous block of H·W elements.
        Span<float> Block(Span<float> data, int i, int c) => data.Slice((i * channels + c) * spatial, spatial);

        // The pooled output's block of sample i, channel c (outH·outW elements).
        Span<float> PooledBlock(Span<float> data, int i, int c) => data.Slice((i * channels + c) * outputSpatial, outputSpatial);
    }

    // The element loops below run over one sample's plane of one channel at a time (64 to 1,024 values in the
    // CIFAR-10 network), thousands of times per call: written with Vector<float> loads straight from the spans'
    // memory and two accumulators, so that no call, copy or temporary buffer costs more than the values.

    /// <summary>
    /// The mean of x and Σ (x − mean)², in two passes while x is in the L1 cache: the "corrected two-pass" algorithm
    /// (Chan, Golub and LeVeque, 1983), whose second pass also sums the deviations d = x − m from the first pass's
    /// mean m — Σd would be 0 in exact arithmetic, so it measures m's rounding error and corrects both results.
    /// </summary>
    private static (float Mean, float Squares) Moments(ReadOnlySpan<float> x)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        int w = Vector<float>.Count, i = 0, n = x.Length;
        Vector<float> s0 = Vector<float>.Zero, s1 = Vector<float>.Zero;
        for (; i <= n - 2 * w; i += 2 * w)
        {
            s0 += Vector.LoadUnsafe(ref x0, (nuint)i);
            s1 += Vector.LoadUnsafe(ref x0, (nuint)(i + w));
        }
        float sum = Vector.Sum(s0 + s1);
        for (; i < n; i++) sum += x[i];
        float mean = sum / n;

        Vector<float> m = new(mean), d0 = Vector<float>.Zero, d1 = Vector<float>.Zero, q0 = Vector<float>.Zero, q1 = Vector<float>.Zero;
        for (i = 0; i <= n - 2 * w; i += 2 * w)
        {
            var e0 = Vector.LoadUnsafe(ref x0, (nuint)i) - m;
            var e1 = Vector.LoadUnsafe(ref x0, (nuint)(i + w)) - m;
            d0 += e0; d1 += e1;
            q0 += e0 * e0; q1 += e1 * e1;
        }
        float deviations = Vector.Sum(d0 + d1), squares = Vector.Sum(q0 + q1);
        for (; i < n; i++)
        {
            float e = x[i] - mean;
            deviations += e;
            squares += e * e;
        }
        return (mean + deviations / n, squares - deviations * deviations / n);
    }

    /// <summary>y = x·scale + shift element-wise (then the ReLU with <paramref name="relu"/>: 0 where ≤ 0, NaN kept), in one pass.</summary>
    private static void Affine(ReadOnlySpan<float> x, float scale, float shift, Span<float> y, bool relu)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x), y0 = ref MemoryMarshal.GetReference(y);
        int i = 0;
        Vector<float> a = new(scale), b = new(shift);
        for (int w = Vector<float>.Count; i <= x.Length - w; i += w)
        {
            var v = Vector.LoadUnsafe(ref x0, (nuint)i) * a + b;
            if (relu) v = Vector.ConditionalSelect(Vector.LessThanOrEqual(v, Vector<float>.Zero), Vector<float>.Zero, v);
            v.StoreUnsafe(ref y0, (nuint)i);
        }
        for (; i < x.Length; i++)
        {
            float v = x[i] * scale + shift;
            y[i] = relu && v <= 0f ? 0f : v;
        }
    }

    /// <summary>
    /// (Σ d, Σ d·x) over one block, where d = dy — or, with <paramref name="relu"/>, dy only where the
    /// forward output x·scale + shift was positive (the ReLU's backward) and 0 elsewhere.
    /// </summary>
    private static (double SumDy, double SumDyX) GradientSums(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float scale, float shift, bool relu)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x), dy0 = ref MemoryMarshal.GetReference(dy);
        int i = 0;
        Vector<float> a = new(scale), b = new(shift), s = Vector<float>.Zero, sx = Vector<float>.Zero;
        for (int w = Vector<float>.Count; i <= x.Length - w; i += w)
        {
            Vector<float> xv = Vector.LoadUnsafe(ref x0, (nuint)i), d = Vector.LoadUnsafe(ref dy0, (nuint)i);
            if (relu) d = Vector.ConditionalSelect(Vector.GreaterThan(xv * a + b, Vector<float>.Zero), d, Vector<float>.Zero);
            s += d;
            sx += d * xv;
        }
        float sumDy = Vector.Sum(s), sumDyX = Vector.Sum(sx);
        for (; i < x.Length; i++)
        {
            float d = !relu || x[i] * scale + shift > 0f ? dy[i] : 0f;
            sumDy += d;
            sumDyX += d * x[i];
        }
        return (sumDy, sumDyX);
    }

    /// <summary>dx = a·d + b·x + k element-wise, d being dy masked as in <see cref="GradientSums"/>; dx may be dy itself.</summary>
    private static void InputGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float scale, float shift, bool relu,
        float a, float b, float k, Span<float> dx)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x), dy0 = ref MemoryMarshal.GetReference(dy), dx0 = ref MemoryMarshal.GetReference(dx);
        int i = 0;
        Vector<float> sv = new(scale), tv = new(shift), av = new(a), bv = new(b), kv = new(k);
        for (int w = Vector<float>.Count; i <= x.Length - w; i += w)
        {
            Vector<float> xv = Vector.LoadUnsafe(ref x0, (nuint)i), d = Vector.LoadUnsafe(ref dy0, (nuint)i);
            if (relu) d = Vector.ConditionalSelect(Vector.GreaterThan(xv * sv + tv, Vector<float>.Zero), d, Vector<float>.Zero);
            (av * d + bv * xv + kv).StoreUnsafe(ref dx0, (nuint)i);
        }
        for (; i < x.Length; i++)
        {
            float d = !relu || x[i] * scale + shift > 0f ? dy[i] : 0f;
            dx[i] = a * d + b * x[i] + k;
        }
    }
}
