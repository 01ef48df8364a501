namespace CourseKit;

public partial class Tensor
{
    /// <summary>Joins tensors along an existing axis; all other sizes must match.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Concat needs at least one tensor.");
        var first = tensors[0];
        int a = Shape.NormalizeAxis(axis, first.Rank);
        int total = 0;
        foreach (var t in tensors)
        {
            bool fits = t.Rank == first.Rank;
            for (int i = 0; fits && i < t.Rank; i++) fits = i == a || t.Shape.Dims[i] == first.Shape.Dims[i];
            if (!fits)
                throw new ShapeException($"Concat along axis {axis}: shape {t.Shape} does not fit {first.Shape} (all sizes except axis {a} must match).");
            total += t.Shape.Dims[a];
        }
        var dims = first.Shape.ToArray();
        dims[a] = total;
        var result = Zeros(dims);
        var sizes = tensors.Select(t => t.Shape.Dims[a]).ToArray();
        int start = 0;
        foreach (var t in tensors)
        {
            result.Narrow(a, start, t.Shape.Dims[a]).CopyFrom(t.Detach());
            start += t.Shape.Dims[a];
        }
        return Record(result, "Concat", [.. tensors], g =>
        {
            var grads = new Tensor?[sizes.Length];
            int s = 0;
            for (int i = 0; i < sizes.Length; i++) { grads[i] = g.Narrow(a, s, sizes[i]); s += sizes[i]; }
            return grads;
        });
    }

    /// <summary>Stacks same-shaped tensors along a new axis: 64 images of (1, 28, 28) become (64, 1, 28, 28).</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Stack needs at least one tensor.");
        foreach (var t in tensors)
            if (t.Shape != tensors[0].Shape)
                throw new ShapeException($"Stack: every tensor must have the same shape; got {tensors[0].Shape} and {t.Shape}.");
        int a = Shape.NormalizeAxis(axis, tensors[0].Rank + 1);
        return Concat(tensors.Select(t => t.Unsqueeze(a)).ToArray(), a);
    }

    /// <summary>
    /// Zero (or constant) padding: <paramref name="padding"/> gives (before, after) amounts for the last
    /// axes, last axis first — as in PyTorch's <c>F.pad</c>: <c>x.Pad(1, 1, 2, 2)</c> pads width by 1 and height by 2.
    /// </summary>
    public Tensor Pad(int[] padding, float value = 0f)
    {
        if (padding.Length % 2 != 0 || padding.Length / 2 > Rank)
            throw new ArgumentException($"Pad: padding needs (before, after) pairs for at most {Rank} axes; got {padding.Length} numbers.");
        var dims = Shape.ToArray();
        var starts = new int[Rank];
        for (int p = 0; p < padding.Length / 2; p++)
        {
            int axis = Rank - 1 - p;
            int before = padding[2 * p], after = padding[2 * p + 1];
            if (before < 0 || after < 0) throw new ArgumentException("Pad: negative padding is not supported; use Narrow to crop.");
            dims[axis] += before + after;
            starts[axis] = before;
        }
        var result = Full(value, dims);
        var inner = result;
        for (int axis = 0; axis < Rank; axis++) inner = inner.Narrow(axis, starts[axis], Shape.Dims[axis]);
        inner.CopyFrom(Detach());
        var originalDims = Shape.Dims;
        return Record(result, "Pad", [this], g =>
        {
            var view = g;
            for (int axis = 0; axis < originalDims.Length; axis++) view = view.Narrow(axis, starts[axis], originalDims[axis]);
            return [view];
        });
    }
}
