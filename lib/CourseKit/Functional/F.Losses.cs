namespace CourseKit;

public static partial class F
{
    /// <summary>
    /// Cross-entropy of raw scores (logits, N × C) against class indices (N): the loss of sample i is
    /// −log softmax(xᵢ)[tᵢ] = log Σⱼ e^xᵢⱼ − xᵢ,ₜᵢ, computed with a stable log-sum-exp. The same as
    /// <see cref="NllLoss"/> of <see cref="LogSoftmax"/>, in one step. With label smoothing ε the target
    /// is no longer all-or-nothing: q = (1 − ε)·onehot(tᵢ) + ε/C, and the loss is −Σⱼ qⱼ·log softmax(xᵢ)ⱼ
    /// (PyTorch's <c>label_smoothing</c>), which keeps the network from becoming over-confident.
    /// </summary>
    /// <param name="logits">Unnormalised class scores, (N, C).</param>
    /// <param name="targets">The correct class of each sample, as whole numbers 0 … C−1 stored as floats, (N).</param>
    /// <param name="reduction">Average (default), total, or per-sample losses.</param>
    /// <param name="labelSmoothing">ε in [0, 1]: the share of the target spread evenly over all classes (0 = plain cross-entropy).</param>
    /// <exception cref="ShapeException">The logits are not (N, C) or the targets are not (N).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is not a class index in [0, C), or ε is outside [0, 1].</exception>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, Reduction reduction = Reduction.Mean, float labelSmoothing = 0f)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "CrossEntropy: label smoothing must be between 0 and 1 (0.1 is usual).");
        var classes = ClassIndices(logits, targets, "CrossEntropy");
        int n = logits.Size(0), c = logits.Size(1);
        float spread = labelSmoothing / c, keep = 1f - labelSmoothing;     // q = keep·onehot + spread
        var logProbs = LogSoftmax(logits.Detach(), axis: 1).Span;
        var losses = new float[n];
        for (int i = 0; i < n; i++)
        {
            var row = logProbs.Slice(i * c, c);
            losses[i] = -keep * row[classes[i]] - (spread == 0f ? 0f : spread * System.Numerics.Tensors.TensorPrimitives.Sum(row));
        }
        var probs = new float[n * c];
        for (int k = 0; k < probs.Length; k++) probs[k] = MathF.Exp(logProbs[k]);

        var perSample = Tensor.Record(new Tensor(losses, new Shape(n)), "CrossEntropy", [logits], g =>
        {
            // dx = (softmax − q)·gᵢ   (with the mean, gᵢ = 1/N; without smoothing q is the one-hot target)
            var gs = g.Materialize().Span;
            var dx = new float[n * c];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < c; j++) dx[i * c + j] = (probs[i * c + j] - spread) * gs[i];
                dx[i * c + classes[i]] -= keep * gs[i];
            }
            return [new Tensor(dx, logits.Shape)];
        });
        return Reduce(perSample, reduction);
    }

    /// <summary>
    /// Negative log-likelihood: the loss of sample i is −logProbsᵢ,ₜᵢ. Use it after <see cref="LogSoftmax"/>
    /// (together they are <see cref="CrossEntropy"/>).
    /// </summary>
    /// <param name="logProbs">Log-probabilities of the classes, (N, C).</param>
    /// <param name="targets">The correct class of each sample, as whole numbers 0 … C−1 stored as floats, (N).</param>
    /// <param name="reduction">Average (default), total, or per-sample losses.</param>
    /// <exception cref="ShapeException">The log-probabilities are not (N, C) or the targets are not (N).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is not a class index in [0, C).</exception>
    public static Tensor NllLoss(Tensor logProbs, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        var classes = ClassIndices(logProbs, targets, "NllLoss");
        int n = logProbs.Size(0), c = logProbs.Size(1);
        var x = logProbs.Materialize().Span;
        var losses = new float[n];
        for (int i = 0; i < n; i++) losses[i] = -x[i * c + classes[i]];

        var perSample = Tensor.Record(new Tensor(losses, new Shape(n)), "NllLoss", [logProbs], g =>
        {
            // dx = −gᵢ at the target class, 0 elsewhere
            var gs = g.Materialize().Span;
            var dx = new float[n * c];
            for (int i = 0; i < n; i++) dx[i * c + classes[i]] = -gs[i];
            return [new Tensor(dx, logProbs.Shape)];
        });
        return Reduce(perSample, reduction);
    }

    /// <summary>Mean squared error: the average (or total, or element-wise) of (prediction − target)².</summary>
    /// <exception cref="ShapeException">The two tensors have different shapes.</exception>
    public static Tensor MseLoss(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean)
    {
        if (prediction.Shape != target.Shape)
            throw new ShapeException($"MseLoss: the prediction {prediction.Shape} and the target {target.Shape} must have the same shape.");
        return Reduce((prediction - target).Square(), reduction);
    }

    private static Tensor Reduce(Tensor losses, Reduction reduction) => reduction switch
    {
        Reduction.Mean => losses.Mean(),
        Reduction.Sum => losses.Sum(),
        Reduction.None => losses,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Reduction must be Mean, Sum or None."),
    };

    /// <summary>Checks that <paramref name="scores"/> is (N, C) and <paramref name="targets"/> holds N class indices in [0, C), and returns them.</summary>
    private static int[] ClassIndices(Tensor scores, Tensor targets, string op)
    {
        if (scores.Rank != 2)
            throw new ShapeException($"{op}: expected scores (N, C) — one row of class scores per sample — got {scores.Shape}.");
        int n = scores.Size(0), c = scores.Size(1);
        if (targets.Rank != 1 || targets.Size(0) != n)
            throw new ShapeException($"{op}: expected targets (N) = ({n}) — one class index per row of the scores {scores.Shape} — got {targets.Shape}.");
        var values = targets.ToArray();
        var classes = new int[n];
        for (int i = 0; i < n; i++)
        {
            float t = values[i];
            if (!(t >= 0 && t < c) || t != MathF.Floor(t))
                throw new ArgumentOutOfRangeException(nameof(targets), t,
                    $"{op}: target {t} at position {i} is not a class index; with {c} classes the targets must be whole numbers in [0, {c}) = 0 … {c - 1}.");
            classes[i] = (int)t;
        }
        return classes;
    }
}
