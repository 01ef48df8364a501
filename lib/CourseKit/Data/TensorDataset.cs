namespace CourseKit;

/// <summary>
/// A dataset made of two tensors whose first axis counts the samples — inputs and labels — like PyTorch's
/// <c>TensorDataset</c>: the quickest way to train on data built in a notebook.
/// </summary>
/// <example><code>
/// var data = new TensorDataset(Tensor.Randn(100, 4), labels);          // 100 samples of 4 features
/// var loader = new DataLoader(data, batchSize: 10, shuffle: true, seed: 0);
/// </code></example>
public sealed class TensorDataset : IDataset
{
    /// <summary>Pairs <paramref name="inputs"/> (N, …) with <paramref name="labels"/> (N) or (N, …).</summary>
    /// <exception cref="ShapeException">The two do not have the same number of samples.</exception>
    public TensorDataset(Tensor inputs, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        if (inputs.Rank == 0 || labels.Rank == 0 || inputs.Shape[0] != labels.Shape[0])
            throw new ShapeException($"TensorDataset: inputs {inputs.Shape} and labels {labels.Shape} must have the same number of samples along axis 0.");
        (Inputs, Labels) = (inputs.Detach().Contiguous(), labels.Detach().Contiguous());
    }

    /// <summary>All inputs, samples along axis 0.</summary>
    public Tensor Inputs { get; }

    /// <summary>All labels, samples along axis 0.</summary>
    public Tensor Labels { get; }

    /// <inheritdoc/>
    public int Count => Inputs.Shape[0];

    /// <inheritdoc/>
    public (Tensor Images, Tensor Labels) GetBatch(int[] indices, ITransform? transform = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var inputs = Tensor.Stack(indices.Select(i => Inputs[i]).ToList());
        var labels = Tensor.Stack(indices.Select(i => Labels[i]).ToList());
        return (transform is null ? inputs : transform.Apply(inputs, random ?? new Random(Rng.NextSeed())), labels);
    }

    /// <inheritdoc/>
    public override string ToString() => $"TensorDataset({Count} samples, inputs {Inputs.Shape}, labels {Labels.Shape})";
}
