namespace CourseKit;

public partial class Tensor
{
    /// <summary>
    /// The same elements with a new shape (one size may be −1: inferred). A view when the layout
    /// allows it, otherwise a copy — like PyTorch's <c>reshape</c>.
    /// </summary>
    public Tensor Reshape(params int[] shape)
    {
        var target = InferShape(shape, "Reshape");
        var source = IsContiguous ? this : Contiguous();
        var result = new Tensor(source.Storage, target, target.ContiguousStrides(), source.Offset);
        var inputShape = Shape;
        return Record(result, "Reshape", [source], g => [g.Reshape(inputShape.Dims)]);
    }

    /// <summary>Like <see cref="Reshape"/> but never copies: throws if the tensor is not contiguous.</summary>
    public Tensor View(params int[] shape)
    {
        if (!IsContiguous)
            throw new InvalidOperationException($"View{new Shape(shape)}: the tensor of shape {Shape} is not contiguous (it was permuted or sliced); use Reshape, or Contiguous() first.");
        return Reshape(shape);
    }

    private Shape InferShape(int[] shape, string op)
    {
        var dims = (int[])shape.Clone();
        int infer = -1; long known = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"{op}{FormatDims(shape)}: only one size can be -1.");
                infer = i;
            }
            else if (dims[i] < 0) throw new ArgumentException($"{op}{FormatDims(shape)}: sizes must be ≥ 0 or -1.");
            else known *= dims[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Numel % known != 0)
                throw new ShapeException($"{op}{FormatDims(shape)}: cannot infer the -1 size: {Numel} elements of {Shape} do not divide by {known}.");
            dims[infer] = (int)(Numel / known);
        }
        var s = new Shape(dims);
        if (s.Numel != Numel)
            throw new ShapeException($"{op}{FormatDims(shape)}: a tensor of shape {Shape} has {Numel} elements, shape {s} needs {s.Numel}.");
        return s;
    }

    private static string FormatDims(int[] dims) => "(" + string.Join(", ", dims) + ")";

    /// <summary>Merges axes <paramref name="startAxis"/>..<paramref name="endAxis"/> into one: <c>x.Flatten(1)</c> turns (N, C, H, W) into (N, C·H·W).</summary>
    public Tensor Flatten(int startAxis = 0, int endAxis = -1)
    {
        if (Rank == 0) return Reshape(1);
        int s = Shape.NormalizeAxis(startAxis, Rank), e = Shape.NormalizeAxis(endAxis, Rank);
        if (s > e) throw new ArgumentException($"Flatten({startAxis}, {endAxis}): the start axis comes after the end axis for shape {Shape}.");
        var dims = new List<int>();
        for (int i = 0; i < s; i++) dims.Add(Shape.Dims[i]);
        int merged = 1;
        for (int i = s; i <= e; i++) merged *= Shape.Dims[i];
        dims.Add(merged);
        for (int i = e + 1; i < Rank; i++) dims.Add(Shape.Dims[i]);
        return Reshape([.. dims]);
    }

    /// <summary>Inserts an axis of size 1 at <paramref name="axis"/>: (3, 4).Unsqueeze(0) is (1, 3, 4).</summary>
    public Tensor Unsqueeze(int axis)
    {
        int a = Shape.NormalizeAxis(axis, Rank + 1);
        var dims = Shape.Dims.ToList();
        dims.Insert(a, 1);
        return Reshape([.. dims]);
    }

    /// <summary>Removes axes of size 1 (all of them, or only <paramref name="axis"/>).</summary>
    public Tensor Squeeze(int? axis = null)
    {
        var dims = Shape.Dims.ToList();
        if (axis is int ax)
        {
            int a = Shape.NormalizeAxis(ax, Rank);
            if (dims[a] == 1) dims.RemoveAt(a);
        }
        else dims.RemoveAll(d => d == 1);
        return Reshape([.. dims]);
    }

    /// <summary>Reorders the axes (a view): <c>x.Permute(0, 2, 3, 1)</c> turns NCHW into NHWC.</summary>
    public Tensor Permute(params int[] axes)
    {
        if (axes.Length != Rank)
            throw new ArgumentException($"Permute{FormatDims(axes)}: a tensor of shape {Shape} needs {Rank} axes.");
        var seen = new bool[Rank];
        var dims = new int[Rank];
        var strides = new int[Rank];
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int a = Shape.NormalizeAxis(axes[i], Rank);
            if (seen[a]) throw new ArgumentException($"Permute{FormatDims(axes)}: axis {a} appears twice.");
            seen[a] = true;
            dims[i] = Shape.Dims[a];
            strides[i] = StrideArray[a];
            inverse[a] = i;
        }
        var result = new Tensor(Storage, new Shape(dims), strides, Offset);
        return Record(result, "Permute", [this], g => [g.Permute(inverse)]);
    }

    /// <summary>
    /// A copy with the order of the elements reversed along the given axes (like <c>torch.flip</c>):
    /// <c>images.Flip(3)</c> (or <c>Flip(-1)</c>) mirrors a batch of NCHW images left to right. Its own backward:
    /// the gradient is flipped back.
    /// </summary>
    /// <param name="axes">The axes to reverse (negative counts from the end).</param>
    public Tensor Flip(params int[] axes)
    {
        var flipped = new bool[Rank];
        foreach (int axis in axes) flipped[Shape.NormalizeAxis(axis, Rank)] = true;
        var source = Materialize().Span;
        var values = new float[Numel];
        int rowLength = Rank == 0 ? 1 : Shape.Dims[Rank - 1], rows = rowLength == 0 ? 0 : Numel / rowLength;
        var index = new int[Math.Max(0, Rank - 1)];                         // the row's position along every axis but the last
        for (int row = 0; row < rows; row++)
        {
            int from = 0;
            for (int d = 0; d < index.Length; d++) from = from * Shape.Dims[d] + (flipped[d] ? Shape.Dims[d] - 1 - index[d] : index[d]);
            var target = values.AsSpan(row * rowLength, rowLength);
            source.Slice(from * rowLength, rowLength).CopyTo(target);
            if (Rank > 0 && flipped[Rank - 1]) target.Reverse();
            for (int d = index.Length - 1; d >= 0 && ++index[d] == Shape.Dims[d]; d--) index[d] = 0;
        }
        return Record(new Tensor(values, Shape), "Flip", [this], g => [g.Flip(axes)]);
    }

    /// <summary>Swaps two axes (a view).</summary>
    public Tensor Transpose(int axis0, int axis1)
    {
        var order = Enumerable.Range(0, Rank).ToArray();
        int a = Shape.NormalizeAxis(axis0, Rank), b = Shape.NormalizeAxis(axis1, Rank);
        (order[a], order[b]) = (order[b], order[a]);
        return Permute(order);
    }

    /// <summary>The transpose of a matrix (swaps the last two axes).</summary>
    public Tensor T => Rank < 2 ? this : Transpose(-2, -1);

    /// <summary>Elements <paramref name="start"/>..<paramref name="start"/>+<paramref name="length"/>−1 along <paramref name="axis"/> (a view).</summary>
    public Tensor Narrow(int axis, int start, int length)
    {
        int a = Shape.NormalizeAxis(axis, Rank);
        int n = Shape.Dims[a];
        if (start < 0) start += n;
        if (start < 0 || length < 0 || start + length > n)
            throw new ArgumentOutOfRangeException(nameof(start), $"Narrow(axis {axis}, start {start}, length {length}) is outside axis {a} of size {n} (shape {Shape}).");
        var dims = Shape.ToArray();
        dims[a] = length;
        var result = new Tensor(Storage, new Shape(dims), StrideArray, Offset + start * StrideArray[a]);
        var inputShape = Shape;
        return Record(result, "Narrow", [this], g =>
        {
            var full = Zeros(inputShape.Dims);
            full.Narrow(a, start, length).CopyFrom(g);
            return [full];
        });
    }

    /// <summary>Python-style slice along one axis: <c>x.Slice(0, 10, 20)</c> is <c>x[10:20]</c>; negative bounds count from the end.</summary>
    public Tensor Slice(int axis, int start, int end)
    {
        int n = Size(axis);
        if (start < 0) start += n;
        if (end < 0) end += n;
        start = Math.Clamp(start, 0, n);
        end = Math.Clamp(end, start, n);
        return Narrow(axis, start, end - start);
    }

    /// <summary>Picks one index along an axis and drops that axis: <c>batch.Select(0, 3)</c> is the 4th image.</summary>
    public Tensor Select(int axis, int index)
    {
        int a = Shape.NormalizeAxis(axis, Rank);
        if (index < 0) index += Shape.Dims[a];
        return Narrow(a, index, 1).Squeeze(a);
    }

    /// <summary>Indexes the first axis: <c>images[3]</c> is image 3 of a batch (a view).</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[int index] => Select(0, index);

    /// <summary>Broadcasts size-1 axes to a larger shape without copying (stride 0).</summary>
    public Tensor Expand(params int[] shape)
    {
        var target = new Shape(shape);
        if (target.Rank < Rank) throw new ShapeException($"Expand: cannot expand shape {Shape} to fewer axes {target}.");
        var strides = new int[target.Rank];
        int lead = target.Rank - Rank;
        for (int i = 0; i < target.Rank; i++)
        {
            if (i < lead) { strides[i] = 0; continue; }
            int own = Shape.Dims[i - lead];
            if (own == target.Dims[i]) strides[i] = StrideArray[i - lead];
            else if (own == 1) strides[i] = 0;
            else throw new ShapeException($"Expand: axis {i - lead} of shape {Shape} has size {own}, which cannot broadcast to {target.Dims[i]} in {target}.");
        }
        var result = new Tensor(Storage, target, strides, Offset);
        var inputShape = Shape;
        return Record(result, "Expand", [this], g => [g.SumTo(inputShape)]);
    }
}
