namespace CourseKit;

/// <summary>
/// NumPy/PyTorch broadcasting: shapes are aligned at their last axis; two sizes fit when they are
/// equal or one of them is 1, and the result takes the larger. (64, 8, 28, 28) + (8, 1, 1) works:
/// the bias is repeated over batch, height and width.
/// </summary>
internal static class Broadcasting
{
    /// <summary>The broadcast shape of <paramref name="a"/> and <paramref name="b"/>, or a clear error naming <paramref name="op"/> and both shapes.</summary>
    public static Shape Shape(Shape a, Shape b, string op)
    {
        if (a == b) return a;
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a.Dims[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b.Dims[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1)
                throw new ShapeException($"{op}: shapes {a} and {b} cannot be broadcast together (axis {i - rank} has sizes {da} and {db}; sizes must match or be 1).");
            dims[i] = da == 1 ? db : da;
        }
        return new Shape(dims);
    }

    /// <summary>Strides that read a contiguous tensor of shape <paramref name="shape"/> as if it had shape <paramref name="target"/> (0 on broadcast axes).</summary>
    public static int[] Strides(Shape shape, Shape target)
    {
        var own = shape.ContiguousStrides();
        var result = new int[target.Rank];
        int lead = target.Rank - shape.Rank;
        for (int i = lead; i < target.Rank; i++)
            result[i] = shape.Dims[i - lead] == 1 ? 0 : own[i - lead];
        return result;
    }
}

public partial class Tensor
{
    /// <summary>
    /// Sums a broadcast gradient back to <paramref name="target"/> — the backward of broadcasting:
    /// axes that were added or stretched from size 1 are summed away.
    /// </summary>
    public Tensor SumTo(Shape target)
    {
        if (Shape == target) return this;
        int lead = Rank - target.Rank;
        if (lead < 0) throw new ShapeException($"SumTo: cannot reduce shape {Shape} to the larger rank of {target}.");
        var axes = new List<int>();
        for (int i = 0; i < Rank; i++)
        {
            if (i < lead) { axes.Add(i); continue; }
            int t = target.Dims[i - lead];
            if (t == 1 && Shape.Dims[i] != 1) axes.Add(i);
            else if (t != Shape.Dims[i]) throw new ShapeException($"SumTo: shape {Shape} does not broadcast from {target}.");
        }
        return Sum(axes.ToArray(), keepDim: true).Reshape(target.Dims);
    }
}
