using System.Numerics.Tensors;

namespace CourseKit;

public partial class Tensor
{
    /// <summary>Sum of all elements, as a single-value tensor.</summary>
    public Tensor Sum()
    {
        var src = Materialize();
        var result = Scalar(TensorPrimitives.Sum(src.Span));
        var shape = Shape;
        return Record(result, "Sum", [this], g => [g.Expand(shape.Dims)]);     // every element gets g
    }

    /// <summary>Sum over the given axes; <paramref name="keepDim"/> keeps them as size 1 (handy for broadcasting back).</summary>
    public Tensor Sum(int[] axes, bool keepDim = false)
    {
        var normalized = axes.Select(a => Shape.NormalizeAxis(a, Rank)).Distinct().OrderByDescending(a => a).ToArray();
        var values = Materialize();
        if (SumsOuterAndInner(normalized, out int first, out int end)) values = SumOuterAndInner(values, first, end);
        else foreach (var a in normalized) values = SumAxis(values, a);        // values keep size-1 axes
        var kept = values;
        var result = keepDim ? kept : kept.Reshape(Shape.Dims.Where((_, i) => !normalized.Contains(i)).ToArray());
        var shape = Shape;
        var keptShape = kept.Shape;
        return Record(result, "Sum", [this], g => [g.Reshape(keptShape.Dims).Expand(shape.Dims)]);
    }

    /// <summary>Sum over one axis.</summary>
    public Tensor Sum(int axis, bool keepDim = false) => Sum([axis], keepDim);

    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Sum() / Math.Max(1, Numel);

    /// <summary>Mean over the given axes.</summary>
    public Tensor Mean(int[] axes, bool keepDim = false)
    {
        int count = 1;
        foreach (var a in axes.Select(a => Shape.NormalizeAxis(a, Rank)).Distinct()) count *= Shape.Dims[a];
        return Sum(axes, keepDim) / Math.Max(1, count);
    }

    /// <summary>Mean over one axis.</summary>
    public Tensor Mean(int axis, bool keepDim = false) => Mean([axis], keepDim);

    /// <summary>Population variance (divides by n, as BatchNorm does) over the given axes.</summary>
    public Tensor Var(int[] axes, bool keepDim = false)
    {
        var centered = this - Mean(axes, keepDim: true);
        return (centered * centered).Mean(axes, keepDim);
    }

    /// <summary>Sums a contiguous tensor over one axis, keeping it as size 1 (values only).</summary>
    private static Tensor SumAxis(Tensor x, int axis)
    {
        var (outer, n, inner) = x.Split(axis);
        var dims = x.Shape.ToArray();
        dims[axis] = 1;
        var result = new Tensor(new float[outer * inner], new Shape(dims));
        var src = x.Span; var dst = result.Span;
        for (int o = 0; o < outer; o++)
        {
            var row = dst.Slice(o * inner, inner);
            if (inner == 1) { row[0] = TensorPrimitives.Sum(src.Slice(o * n, n)); continue; }
            for (int k = 0; k < n; k++) TensorPrimitives.Add(row, src.Slice((o * n + k) * inner, inner), row);
        }
        return result;
    }

    /// <summary>
    /// Whether the summed axes are the first ones, the last ones, or both, around one kept block
    /// [<paramref name="first"/>, <paramref name="end"/>) — like (0, 2, 3) for a convolution's bias gradient or (0) for
    /// a linear layer's — which <see cref="SumOuterAndInner"/> does in one pass.
    /// </summary>
    private bool SumsOuterAndInner(int[] axes, out int first, out int end)
    {
        first = 0;
        while (first < Rank && axes.Contains(first)) first++;
        end = first;
        while (end < Rank && !axes.Contains(end)) end++;
        for (int a = end; a < Rank; a++)
            if (!axes.Contains(a)) return false;
        return axes.Length > 0;
    }

    /// <summary>
    /// Sums a contiguous tensor, seen as (outer, kept, inner), over outer and inner, keeping them as size-1 axes
    /// (values only): result[k] = Σₒ Σᵢ x[o, k, i], each in a fixed order, kept values split across threads.
    /// </summary>
    private static Tensor SumOuterAndInner(Tensor x, int first, int end)
    {
        int outer = 1, kept = 1, inner = 1;
        var dims = x.Shape.ToArray();
        for (int a = 0; a < dims.Length; a++)
        {
            if (a < first) outer *= dims[a];
            else if (a < end) kept *= dims[a];
            else inner *= dims[a];
            if (a < first || a >= end) dims[a] = 1;
        }
        var sums = new float[kept];
        var src = x.Storage; int offset = x.Offset;
        if (inner == 1)                                                         // rows of kept values: add them up, row by row
            for (int o = 0; o < outer; o++) TensorPrimitives.Add(sums, src.AsSpan(offset + o * kept, kept), sums);
        else
        {
            void Range(int start, int count)
            {
                for (int k = start; k < start + count; k++)
                {
                    double total = 0;
                    for (int o = 0; o < outer; o++) total += TensorPrimitives.Sum(src.AsSpan(offset + (o * kept + k) * inner, inner));
                    sums[k] = (float)total;
                }
            }
            int parts = (long)outer * kept * inner < 1 << 16 ? 1 : Math.Min(Kernels.Gemm.MaxThreads, kept);
            if (parts <= 1) Range(0, kept);
            else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
            {
                int start = (int)((long)kept * p / parts), stop = (int)((long)kept * (p + 1) / parts);
                Range(start, stop - start);
            });
        }
        return new Tensor(sums, new Shape(dims));
    }

    /// <summary>Views a contiguous tensor as (outer, n, inner) around <paramref name="axis"/>.</summary>
    internal (int outer, int n, int inner) Split(int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= Shape.Dims[i];
        for (int i = axis + 1; i < Rank; i++) inner *= Shape.Dims[i];
        return (outer, Shape.Dims[axis], inner);
    }

    /// <summary>Largest element.</summary>
    public Tensor Max() => Flatten().Max(0);

    /// <summary>Largest value along <paramref name="axis"/>; the gradient flows to the (first) position of the maximum.</summary>
    public Tensor Max(int axis, bool keepDim = false) => Extreme(axis, keepDim, largest: true);

    /// <summary>Smallest value along <paramref name="axis"/>.</summary>
    public Tensor Min(int axis, bool keepDim = false) => Extreme(axis, keepDim, largest: false);

    /// <summary>Smallest element.</summary>
    public Tensor Min() => Flatten().Min(0);

    /// <summary>Index of the largest value along <paramref name="axis"/> (as floats) — e.g. the predicted class: <c>logits.ArgMax(1)</c>.</summary>
    public Tensor ArgMax(int axis, bool keepDim = false) => ExtremeIndex(axis, keepDim, largest: true).indices;

    /// <summary>Index of the smallest value along <paramref name="axis"/>.</summary>
    public Tensor ArgMin(int axis, bool keepDim = false) => ExtremeIndex(axis, keepDim, largest: false).indices;

    private Tensor Extreme(int axis, bool keepDim, bool largest)
    {
        var (values, indices, positions) = ExtremeIndex(axis, keepDim, largest);
        var shape = Shape;
        return Record(values, largest ? "Max" : "Min", [this], g =>
        {
            var full = new float[shape.Numel];
            var gv = g.Materialize().Span;
            for (int i = 0; i < positions.Length; i++) full[positions[i]] += gv[i];
            return [new Tensor(full, shape)];
        });
    }

    private (Tensor values, Tensor indices, int[] positions) ExtremeIndex(int axis, bool keepDim, bool largest)
    {
        int a = Shape.NormalizeAxis(axis, Rank);
        var x = Materialize();
        var (outer, n, inner) = x.Split(a);
        if (n == 0) throw new ArgumentException($"{(largest ? "Max" : "Min")}: axis {axis} of shape {Shape} is empty.");
        var dims = keepDim ? Shape.ToArray() : Shape.Dims.Where((_, i) => i != a).ToArray();
        if (keepDim) dims[a] = 1;
        var values = new float[outer * inner];
        var indices = new float[outer * inner];
        var positions = new int[outer * inner];
        var src = x.Span;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                float bestValue = src[o * n * inner + i];
                for (int k = 1; k < n; k++)
                {
                    float v = src[(o * n + k) * inner + i];
                    if (largest ? v > bestValue : v < bestValue) { best = k; bestValue = v; }
                }
                values[o * inner + i] = bestValue;
                indices[o * inner + i] = best;
                positions[o * inner + i] = (o * n + best) * inner + i;
            }
        var s = new Shape(dims);
        return (new Tensor(values, s), new Tensor(indices, s), positions);
    }
}
