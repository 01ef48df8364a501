using System.Numerics;

namespace CourseKit;

/// <summary>
/// Adam: gradient descent with momentum (m, a running mean of the gradients) and a per-weight step size
/// (v, a running mean of the squared gradients) — the same update rule as <c>torch.optim.Adam</c>:
/// <code>
/// g ← ∇w + λ·w                         (weight decay λ, an L2 penalty added to the gradient)
/// m ← β₁·m + (1 − β₁)·g                v ← β₂·v + (1 − β₂)·g²
/// w ← w − α/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)     (t = 1, 2, … counts this weight's steps)
/// </code>
/// The factors 1/(1 − βᵗ) correct the bias of m and v towards 0 in the first steps, so the very first
/// step moves every weight by about α·sign(g).
/// </summary>
/// <example><code>var optimizer = new Adam(model.Parameters(), lr: 1e-3f);</code></example>
public sealed class Adam : Optimizer
{
    private readonly float[]?[] _mean, _squareMean;
    private readonly int[] _steps;

    /// <summary>Creates the optimiser with PyTorch's defaults.</summary>
    /// <param name="parameters">The weights to train, usually <c>model.Parameters()</c>.</param>
    /// <param name="lr">The learning rate α.</param>
    /// <param name="beta1">β₁ ∈ [0, 1): decay of the running mean of gradients.</param>
    /// <param name="beta2">β₂ ∈ [0, 1): decay of the running mean of squared gradients.</param>
    /// <param name="eps">ε ≥ 0, added to the denominator so it is never 0.</param>
    /// <param name="weightDecay">λ ≥ 0: adds λ·w to every gradient (L2, as PyTorch's Adam — not AdamW).</param>
    public Adam(IEnumerable<Parameter> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
                float eps = 1e-8f, float weightDecay = 0f) : base(parameters, lr)
    {
        if (!(beta1 >= 0f && beta1 < 1f)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "Adam: β₁ must lie in [0, 1).");
        if (!(beta2 >= 0f && beta2 < 1f)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "Adam: β₂ must lie in [0, 1).");
        if (!(eps >= 0f)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "Adam: ε must be ≥ 0.");
        if (!(weightDecay >= 0f)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Adam: weight decay must be ≥ 0.");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        _mean = new float[]?[Parameters.Count];
        _squareMean = new float[]?[Parameters.Count];
        _steps = new int[Parameters.Count];
    }

    /// <summary>β₁, the decay rate of the gradient mean m.</summary>
    public float Beta1 { get; }

    /// <summary>β₂, the decay rate of the squared-gradient mean v.</summary>
    public float Beta2 { get; }

    /// <summary>ε, added to √v̂ in the denominator.</summary>
    public float Eps { get; }

    /// <summary>The weight decay λ (L2 penalty coefficient).</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> w, ReadOnlySpan<float> gradient)
    {
        var m = _mean[index] ??= new float[w.Length];
        var v = _squareMean[index] ??= new float[w.Length];
        int t = ++_steps[index];
        float stepSize = (float)(LearningRate / (1 - Math.Pow(Beta1, t)));
        float biasCorrection2Sqrt = (float)Math.Sqrt(1 - Math.Pow(Beta2, t));
        float b1 = Beta1, b2 = Beta2, eps = Eps, decay = WeightDecay;

        // One pass over the four arrays, element by element (vectors of them where the CPU has SIMD):
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (int width = Vector<float>.Count; i <= w.Length - width; i += width)
            {
                var wi = new Vector<float>(w.Slice(i));
                var gi = new Vector<float>(gradient.Slice(i)) + decay * wi;                    // g ← ∇w + λ·w
                var mi = b1 * new Vector<float>(m, i) + (1 - b1) * gi;                           // m ← β₁·m + (1 − β₁)·g
                var vi = b2 * new Vector<float>(v, i) + (1 - b2) * gi * gi;                      // v ← β₂·v + (1 − β₂)·g²
                var d = Vector.SquareRoot(vi) / biasCorrection2Sqrt + new Vector<float>(eps);  // d ← √v / √(1 − β₂ᵗ) + ε
                mi.CopyTo(m, i);
                vi.CopyTo(v, i);
                (wi - stepSize * mi / d).CopyTo(w.Slice(i));                                   // w ← w − α/(1 − β₁ᵗ) · m / d
            }
        for (; i < w.Length; i++)
        {
            float gi = gradient[i] + decay * w[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            w[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / biasCorrection2Sqrt + eps);
        }
    }

    protected override string HyperParameters() =>
        $"lr={LearningRate}, betas=({Beta1}, {Beta2}), eps={Eps}, weight_decay={WeightDecay}";
}
