namespace CourseKit;

/// <summary>
/// Base class of the loss functions (like PyTorch's <c>nn.*Loss</c> criteria): compares a model's
/// output with the target and returns one number to minimise. Used as <c>criterion.Call(output, target)</c>,
/// the counterpart of PyTorch's <c>criterion(output, target)</c>.
/// </summary>
/// <param name="reduction">How the per-sample losses are combined: averaged (default), summed, or kept.</param>
public abstract class Loss(Reduction reduction = Reduction.Mean)
{
    /// <summary>How the per-sample losses are combined.</summary>
    public Reduction Reduction { get; } = reduction;

    /// <summary>The loss of <paramref name="input"/> (the model's output) against <paramref name="target"/>.</summary>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>Computes the loss, like calling <c>criterion(output, target)</c> in PyTorch.</summary>
    public Tensor Call(Tensor input, Tensor target) => Forward(input, target);

    /// <summary>PyTorch-style, e.g. <c>CrossEntropyLoss()</c> or <c>MSELoss(reduction=sum)</c>.</summary>
    public override string ToString() =>
        GetType().Name + "(" + (Reduction == Reduction.Mean ? "" : $"reduction={Reduction.ToString().ToLowerInvariant()}") + ")";
}
