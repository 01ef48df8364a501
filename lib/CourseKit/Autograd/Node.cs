namespace CourseKit;

/// <summary>
/// One recorded operation in the computation graph: its name, the tensors it read, and its
/// backward rule — a function from d(loss)/d(output) to d(loss)/d(input) for each input
/// (null where an input needs no gradient). Gradients returned in a broadcast shape are summed
/// back to the input's shape by the engine, so rules can stay as short as the formulas.
/// </summary>
internal sealed class Node(string op, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
{
    public string Op { get; } = op;
    public Tensor[] Inputs { get; } = inputs;
    public Func<Tensor, Tensor?[]> Backward { get; } = backward;
    public override string ToString() => Op;
}
