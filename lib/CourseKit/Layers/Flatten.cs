namespace CourseKit;

/// <summary>
/// Merges axes <c>start_dim</c>…<c>end_dim</c> into one (like <c>nn.Flatten</c>); by default turns
/// feature maps (N, C, H, W) into vectors (N, C·H·W) for the Linear layers that follow.
/// </summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <summary>The first axis merged (1: keep the batch axis).</summary>
    public int StartDim { get; } = startDim;

    /// <summary>The last axis merged (−1: the last axis).</summary>
    public int EndDim { get; } = endDim;

    /// <summary>The input with axes start_dim…end_dim merged (a view when possible).</summary>
    /// <exception cref="ShapeException">The input does not have the axes to merge.</exception>
    public override Tensor Forward(Tensor input)
    {
        int rank = input.Rank;
        int start = StartDim < 0 ? StartDim + rank : StartDim, end = EndDim < 0 ? EndDim + rank : EndDim;
        if (start < 0 || end >= rank || start > end)
            throw new ShapeException($"Flatten({ExtraRepr()}): an input with {rank} axes {input.Shape} has no axes {StartDim}…{EndDim} to merge.");
        return input.Flatten(StartDim, EndDim);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
}
