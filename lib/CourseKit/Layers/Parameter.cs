namespace CourseKit;

/// <summary>
/// A tensor that is a learnable weight of a <see cref="Module"/> (like <c>nn.Parameter</c>): it
/// requires grad, and modules list it in <see cref="Module.Parameters"/> so optimisers can update it.
/// </summary>
public sealed class Parameter : Tensor
{
    /// <summary>Wraps <paramref name="data"/>'s values (contiguous, detached) as a learnable weight.</summary>
    public Parameter(Tensor data) : base(data.Detach().Materialize()) => RequiresGrad = true;
}
