namespace CourseKit;

/// <summary>
/// An n-dimensional array of float32 values that can record the operations applied to it, so that
/// <see cref="Backward"/> can compute gradients (reverse-mode automatic differentiation).
/// <para>
/// Layout: row-major. A tensor is a <em>view</em> of a flat storage array: element
/// <c>[i0, i1, …]</c> lives at <c>Offset + i0·Strides[0] + i1·Strides[1] + …</c>. Reshape,
/// Permute, Transpose and Narrow return views that share storage; element-wise maths, reductions
/// and layers produce new tensors. Images are NCHW: (batch, channels, height, width).
/// </para>
/// </summary>
public partial class Tensor
{
    internal readonly float[] Storage;
    internal readonly int Offset;
    private readonly Shape _shape;
    private readonly int[] _strides;
    private bool _requiresGrad;

    /// <summary>Wraps <paramref name="storage"/> as a view with the given shape, strides and offset (no copy).</summary>
    internal Tensor(float[] storage, Shape shape, int[] strides, int offset)
    {
        Storage = storage;
        _shape = shape;
        _strides = strides;
        Offset = offset;
    }

    /// <summary>Wraps a contiguous array (no copy).</summary>
    internal Tensor(float[] storage, Shape shape) : this(storage, shape, shape.ContiguousStrides(), 0)
    {
        if (storage.Length < shape.Numel)
            throw new ArgumentException($"{storage.Length} values cannot fill a tensor of shape {shape} ({shape.Numel} values).");
    }

    /// <summary>Shares another tensor's storage and layout (used by <see cref="Parameter"/>).</summary>
    protected Tensor(Tensor view) : this(view.Storage, view._shape, view._strides, view.Offset) { }

    /// <summary>The size of each axis, e.g. <c>(64, 1, 28, 28)</c>.</summary>
    public Shape Shape => _shape;

    /// <summary>How many storage elements to step to move one place along each axis.</summary>
    public IReadOnlyList<int> Strides => _strides;

    internal int[] StrideArray => _strides;

    /// <summary>Number of axes.</summary>
    public int Rank => _shape.Rank;

    /// <summary>Total number of elements.</summary>
    public int Numel => _shape.Numel;

    /// <summary>Size of one axis; negative axes count from the end.</summary>
    public int Size(int axis) => _shape[axis];

    /// <summary>True when the elements are stored in row-major order with no gaps, so the tensor is one flat span.</summary>
    public bool IsContiguous
    {
        get
        {
            int expected = 1;
            for (int i = Rank - 1; i >= 0; i--)
            {
                if (_shape.Dims[i] != 1 && _strides[i] != expected) return false;
                expected *= _shape.Dims[i];
            }
            return true;
        }
    }

    // ------------------------------------------------------------------ autograd state

    /// <summary>
    /// Whether gradients flow to this tensor. Set it on a leaf (an input or a weight) before the
    /// forward pass; results of operations on such tensors require grad automatically.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!value && GradFn is not null)
                throw new InvalidOperationException("RequiresGrad cannot be turned off on a result of an operation; call Detach() to get a tensor outside the graph.");
            _requiresGrad = value;
        }
    }

    /// <summary>The accumulated gradient d(loss)/d(this) after <see cref="Backward"/>, for leaf tensors that require grad; null before.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The operation that produced this tensor (null for leaves: inputs, weights, constants).</summary>
    internal Node? GradFn { get; private set; }

    /// <summary>True for tensors created by the user rather than by an operation on tensors that require grad.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>A name used in error messages and in <see cref="ToString"/> (optional).</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Records how <paramref name="result"/> was computed, if gradients are being tracked: which
    /// inputs it came from and a function mapping d(loss)/d(result) to d(loss)/d(each input).
    /// Every differentiable operation ends by calling this.
    /// </summary>
    internal static Tensor Record(Tensor result, string op, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        Profiler.OperationFinished(op);
        if (!GradMode.IsEnabled) return result;
        bool any = false;
        foreach (var t in inputs) any |= t._requiresGrad;
        if (!any) return result;
        result._requiresGrad = true;
        result.GradFn = new Node(op, inputs, backward);
        return result;
    }

    /// <summary>Same storage and values, cut from the graph: gradients do not flow through the result.</summary>
    public Tensor Detach() => new(Storage, _shape, _strides, Offset);

    // ------------------------------------------------------------------ element access

    /// <summary>Reads or writes one element; every axis must be indexed (negative indices count from the end): <c>image[0, 27, 27]</c>.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[int i0, int i1, params int[] rest]
    {
        get => this[[i0, i1, .. rest]];
        set => this[[i0, i1, .. rest]] = value;
    }

    /// <summary>Reads or writes one element given one index per axis.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[int[] index]
    {
        get => Storage[StorageIndex(index)];
        set
        {
            GuardInPlace("indexer assignment");
            Storage[StorageIndex(index)] = value;
        }
    }

    private int StorageIndex(int[] index)
    {
        if (index.Length != Rank)
            throw new ArgumentException($"A tensor of shape {Shape} needs {Rank} indices, got {index.Length}.");
        int pos = Offset;
        for (int i = 0; i < index.Length; i++)
        {
            int n = _shape.Dims[i];
            int k = index[i] < 0 ? index[i] + n : index[i];
            if (k < 0 || k >= n)
                throw new IndexOutOfRangeException($"Index {index[i]} is out of range for axis {i} of size {n} (shape {Shape}).");
            pos += k * _strides[i];
        }
        return pos;
    }

    /// <summary>The value of a one-element tensor (e.g. a loss).</summary>
    public float Item()
    {
        if (Numel != 1) throw new InvalidOperationException($"Item() needs a tensor with exactly one element; this one has shape {Shape}.");
        return Storage[Offset];
    }

    /// <summary>Copies the elements, in row-major order, into a new flat array.</summary>
    public float[] ToArray()
    {
        var result = Kernels.LargeBuffers.Allocate(Numel, zeroed: false);
        CopyTo(result);
        return result;
    }

    /// <summary>Copies the elements in row-major order into <paramref name="destination"/>.</summary>
    internal void CopyTo(Span<float> destination)
    {
        if (IsContiguous) { Storage.AsSpan(Offset, Numel).CopyTo(destination); return; }
        if (Numel == 0) return;
        // Walk the outer axes like an odometer; the last axis is one row: a block copy when its
        // stride is 1, a fill when it is 0 (broadcast), a strided gather otherwise.
        int rank = Rank, row = _shape.Dims[rank - 1], step = _strides[rank - 1];
        var idx = new int[rank - 1];
        int pos = Offset;
        for (int start = 0; start < destination.Length; start += row)
        {
            var dst = destination.Slice(start, row);
            if (step == 1) Storage.AsSpan(pos, row).CopyTo(dst);
            else if (step == 0) dst.Fill(Storage[pos]);
            else for (int j = 0; j < row; j++) dst[j] = Storage[pos + j * step];
            for (int ax = rank - 2; ax >= 0; ax--)
            {
                pos += _strides[ax];
                if (++idx[ax] < _shape.Dims[ax]) break;
                pos -= idx[ax] * _strides[ax];
                idx[ax] = 0;
            }
        }
    }

    /// <summary>Storage positions of all elements, in row-major order (works for any strides).</summary>
    internal IEnumerable<int> StorageOffsets()
    {
        int rank = Rank, n = Numel;
        if (n == 0) yield break;
        var idx = new int[rank];
        int pos = Offset;
        for (int count = 0; count < n; count++)
        {
            yield return pos;
            for (int ax = rank - 1; ax >= 0; ax--)
            {
                if (++idx[ax] < _shape.Dims[ax]) { pos += _strides[ax]; break; }
                pos -= (idx[ax] - 1) * _strides[ax];
                idx[ax] = 0;
            }
        }
    }

    /// <summary>The elements as a span, for contiguous tensors only (kernels use it).</summary>
    internal Span<float> Span
    {
        get
        {
            if (!IsContiguous) throw new InvalidOperationException("Internal: Span needs a contiguous tensor; call Contiguous() first.");
            return Storage.AsSpan(Offset, Numel);
        }
    }

    /// <summary>This tensor if it is contiguous, otherwise a contiguous copy (gradients flow through the copy).</summary>
    public Tensor Contiguous()
    {
        if (IsContiguous) return this;
        var result = new Tensor(ToArray(), _shape);
        return Record(result, "Contiguous", [this], g => [g]);
    }

    /// <summary>A copy with its own storage (gradients flow through the copy, like PyTorch's clone).</summary>
    public Tensor Clone()
    {
        var result = new Tensor(ToArray(), _shape);
        return Record(result, "Clone", [this], g => [g]);
    }

    // ------------------------------------------------------------------ in-place updates (optimisers, initialisers)

    /// <summary>Throws when an in-place change would corrupt a recorded graph.</summary>
    internal void GuardInPlace(string what)
    {
        if (GradMode.IsEnabled && _requiresGrad)
            throw new InvalidOperationException(
                $"{what} would change a tensor that requires grad while gradients are being recorded; " +
                "wrap the update in `using (Tensor.NoGrad())` (as optimisers do) or work on Detach().");
    }

    /// <summary>Overwrites this tensor's elements with <paramref name="source"/>'s (same shape). Used by optimisers and when loading weights.</summary>
    public Tensor CopyFrom(Tensor source)
    {
        GuardInPlace("CopyFrom");
        if (source.Shape != Shape)
            throw new ShapeException($"CopyFrom: cannot copy a tensor of shape {source.Shape} into one of shape {Shape}.");
        if (IsContiguous) source.CopyTo(Span);
        else
        {
            var values = source.ToArray();
            int i = 0;
            foreach (int pos in StorageOffsets()) Storage[pos] = values[i++];
        }
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>, in place.</summary>
    public Tensor Fill(float value)
    {
        GuardInPlace("Fill");
        if (IsContiguous) Span.Fill(value);
        else foreach (int pos in StorageOffsets()) Storage[pos] = value;
        return this;
    }

    /// <summary>Sets <see cref="Grad"/> to null, so that the next <see cref="Backward"/> starts from zero.</summary>
    public void ZeroGrad() => Grad = null;
}
