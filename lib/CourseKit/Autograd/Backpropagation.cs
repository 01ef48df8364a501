namespace CourseKit;

public partial class Tensor
{
    /// <summary>
    /// Opens a scope in which operations are not recorded (like <c>torch.no_grad()</c>):
    /// <c>using (Tensor.NoGrad()) { … }</c>. Use it for evaluation and for updating weights.
    /// </summary>
    public static IDisposable NoGrad() => GradMode.Disable();

    /// <summary>
    /// Backpropagation: computes d(this)/d(leaf) for every leaf tensor with <see cref="RequiresGrad"/>
    /// that this tensor depends on, and adds it to the leaf's <see cref="Grad"/> (gradients accumulate
    /// until <see cref="ZeroGrad"/>). Without <paramref name="gradient"/>, this tensor must hold one
    /// value (a loss); otherwise <paramref name="gradient"/> is d(loss)/d(this), with this tensor's shape.
    /// </summary>
    public void Backward(Tensor? gradient = null)
    {
        Profiler.OutsideOperations();
        if (!RequiresGrad)
            throw new InvalidOperationException("Backward(): this tensor does not require grad — no input of the computation had RequiresGrad = true (or it was computed inside NoGrad()).");
        if (gradient is null && Numel != 1)
            throw new InvalidOperationException($"Backward() without an explicit gradient needs a single-value tensor (a loss); this one has shape {Shape}. Reduce it (e.g. .Sum() or .Mean()) or pass a gradient of shape {Shape}.");
        if (gradient is not null && gradient.Shape != Shape)
            throw new ShapeException($"Backward(gradient): the gradient has shape {gradient.Shape} but the tensor has shape {Shape}.");

        var order = TopologicalOrder(this);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance)
        {
            [this] = gradient?.Detach() ?? OnesLike(this),
        };
        using var _ = NoGrad();
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (!grads.Remove(t, out var g)) continue;
            if (t.GradFn is null)
            {
                t.Grad = t.Grad is null ? g.Clone() : t.Grad + g;
                continue;
            }
            var node = t.GradFn;
            var inputGrads = Profiler.TimeBackward(node, g);
            for (int k = 0; k < node.Inputs.Length; k++)
            {
                var input = node.Inputs[k];
                var ig = inputGrads[k];
                if (ig is null || !input.RequiresGrad) continue;
                if (ig.Shape != input.Shape) ig = ig.SumTo(input.Shape);
                grads[input] = grads.TryGetValue(input, out var acc) ? acc + ig : ig;
            }
        }
    }

    /// <summary>The graph's tensors ordered so that every tensor comes after the tensors it was computed from.</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor t, int next)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.GradFn?.Inputs ?? [];
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.RequiresGrad && visited.Add(child)) stack.Push((child, 0));
            }
            else order.Add(t);
        }
        return order;
    }
}
