using System.Numerics.Tensors;

namespace CourseKit;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay — the
/// same update rule as <c>torch.optim.SGD</c>:
/// <code>
/// g ← ∇w + λ·w                         (weight decay λ, an L2 penalty)
/// b ← g                  on the first step,   b ← μ·b + (1 − τ)·g afterwards   (momentum μ, dampening τ)
/// g ← g + μ·b  (Nesterov)   or   g ← b  (classical momentum)
/// w ← w − α·g
/// </code>
/// With the defaults (no momentum, no decay) this is plain gradient descent, w ← w − α·∇w.
/// </summary>
/// <example><code>var optimizer = new SGD(model.Parameters(), lr: 0.01f, momentum: 0.9f);</code></example>
public sealed class SGD : Optimizer
{
    private readonly float[]?[] _momentumBuffers;

    /// <summary>Creates the optimiser; every hyper-parameter must be ≥ 0, and Nesterov needs momentum &gt; 0 and no dampening.</summary>
    /// <param name="parameters">The weights to train, usually <c>model.Parameters()</c>.</param>
    /// <param name="lr">The learning rate α.</param>
    /// <param name="momentum">The momentum factor μ (0 = none; 0.9 is common).</param>
    /// <param name="dampening">τ: how much of the new gradient is damped when added to the momentum buffer.</param>
    /// <param name="weightDecay">λ: adds λ·w to every gradient (L2 regularisation).</param>
    /// <param name="nesterov">Use Nesterov momentum (look ahead along the momentum before stepping).</param>
    public SGD(IEnumerable<Parameter> parameters, float lr, float momentum = 0f, float dampening = 0f,
               float weightDecay = 0f, bool nesterov = false) : base(parameters, lr)
    {
        if (!(momentum >= 0f)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "SGD: momentum must be ≥ 0.");
        if (!(dampening >= 0f)) throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "SGD: dampening must be ≥ 0.");
        if (!(weightDecay >= 0f)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "SGD: weight decay must be ≥ 0.");
        if (nesterov && (momentum <= 0f || dampening != 0f))
            throw new ArgumentException($"SGD: Nesterov momentum needs momentum > 0 and dampening = 0 (got momentum={momentum}, dampening={dampening}).");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _momentumBuffers = new float[]?[Parameters.Count];
    }

    /// <summary>The momentum factor μ.</summary>
    public float Momentum { get; }

    /// <summary>The dampening τ applied to new gradients entering the momentum buffer.</summary>
    public float Dampening { get; }

    /// <summary>The weight decay λ (L2 penalty coefficient).</summary>
    public float WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> w, ReadOnlySpan<float> gradient)
    {
        ReadOnlySpan<float> g = gradient;
        if (WeightDecay != 0f)
        {
            var decayed = Scratch(w.Length);
            TensorPrimitives.MultiplyAdd(w, WeightDecay, g, decayed);                  // g ← ∇w + λ·w
            g = decayed;
        }
        if (Momentum != 0f)
        {
            var b = _momentumBuffers[index];
            if (b is null)
            {
                b = _momentumBuffers[index] = g.ToArray();                              // b ← g (first step)
            }
            else
            {
                TensorPrimitives.Multiply(b, Momentum, b);
                TensorPrimitives.MultiplyAdd(g, 1f - Dampening, b, b);                  // b ← μ·b + (1 − τ)·g
            }
            if (Nesterov)
            {
                var lookahead = Scratch(w.Length);
                TensorPrimitives.MultiplyAdd(b, Momentum, g, lookahead);                // g ← g + μ·b
                g = lookahead;
            }
            else g = b;                                                                 // g ← b
        }
        TensorPrimitives.MultiplyAdd(g, -LearningRate, w, w);                          // w ← w − α·g
    }

    /// <inheritdoc/>
    protected override string HyperParameters() =>
        $"lr={LearningRate}, momentum={Momentum}, dampening={Dampening}, weight_decay={WeightDecay}, nesterov={Nesterov}";
}
