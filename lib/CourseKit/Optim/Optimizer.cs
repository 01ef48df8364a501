namespace CourseKit;

/// <summary>
/// Base class of the optimisers (like <c>torch.optim.Optimizer</c>): holds the parameters to train and
/// moves them against their gradients. The training loop is always the same three lines:
/// <code>
/// optimizer.ZeroGrad();          // forget the previous batch's gradients
/// loss.Backward();               // compute d(loss)/d(weight) for every weight
/// optimizer.Step();              // w ← w − update(gradient)
/// </code>
/// Updates happen in place on each parameter's storage, inside <see cref="Tensor.NoGrad"/>.
/// </summary>
public abstract class Optimizer
{
    private readonly Parameter[] _parameters;
    private float _learningRate;
    private float[] _scratch = [];

    /// <summary>Remembers the parameters (each once, even if listed twice) and the learning rate.</summary>
    protected Optimizer(IEnumerable<Parameter> parameters, float lr)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.Distinct<Parameter>(ReferenceEqualityComparer.Instance).ToArray();
        if (_parameters.Length == 0)
            throw new ArgumentException($"{GetType().Name} got an empty parameter list: pass model.Parameters() of a model that has weights.");
        LearningRate = lr;
    }

    /// <summary>The tensors this optimiser updates, in the order they were given.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The step size α (PyTorch's <c>lr</c>); learning-rate schedules change it between epochs.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0f) || float.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be a finite number ≥ 0.");
            _learningRate = value;
        }
    }

    /// <summary>Applies one update to every parameter that has a gradient; parameters whose <see cref="Tensor.Grad"/> is null are skipped.</summary>
    public void Step()
    {
        Profiler.OutsideOperations();
        using var _ = Tensor.NoGrad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.Grad is null) continue;
            if (p.Grad.Shape != p.Shape)
                throw new ShapeException($"{GetType().Name}.Step(): parameter {i} has shape {p.Shape} but its gradient has shape {p.Grad.Shape}.");
            Update(i, p.Span, p.Grad.Materialize().Span);
        }
        Profiler.OperationFinished($"{GetType().Name}.Step");
    }

    /// <summary>Clears every parameter's gradient (sets it to null, like PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.ZeroGrad();
        Profiler.OutsideOperations();
    }

    /// <summary>
    /// Updates the values of parameter number <paramref name="index"/> in place, given its gradient.
    /// Subclasses keep their per-parameter state (momentum, running averages) indexed the same way.
    /// </summary>
    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient);

    /// <summary>A work area of <paramref name="length"/> floats shared by all parameters, so steps do not allocate.</summary>
    protected Span<float> Scratch(int length)
    {
        if (_scratch.Length < length) _scratch = new float[_parameters.Max(p => p.Numel)];
        return _scratch.AsSpan(0, length);
    }

    /// <summary>Shows the optimiser and its hyper-parameters, e.g. <c>SGD(lr=0.1, momentum=0.9)</c>.</summary>
    public override string ToString() => $"{GetType().Name}({HyperParameters()})";

    /// <summary>The hyper-parameters listed by <see cref="ToString"/>.</summary>
    protected virtual string HyperParameters() => $"lr={LearningRate}";
}
