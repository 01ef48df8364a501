namespace CourseKit;

/// <summary>How a loss combines the per-sample losses of a batch (PyTorch's <c>reduction=</c> argument).</summary>
public enum Reduction
{
    /// <summary>The average over the batch (the default): the loss does not grow with the batch size.</summary>
    Mean,
    /// <summary>The total over the batch.</summary>
    Sum,
    /// <summary>No reduction: one loss per sample.</summary>
    None,
}
