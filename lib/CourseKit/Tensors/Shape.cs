using System.Collections;

namespace CourseKit;

/// <summary>
/// The size of each axis of a tensor, outermost first — e.g. <c>(64, 3, 32, 32)</c> for a batch of
/// 64 RGB images in NCHW order. Immutable; compares by value; prints like <c>(64, 3, 32, 32)</c>.
/// </summary>
public sealed class Shape : IReadOnlyList<int>, IEquatable<Shape>
{
    private readonly int[] _dims;

    /// <summary>Creates a shape from axis sizes; every size must be ≥ 0.</summary>
    public Shape(params int[] dims)
    {
        foreach (var d in dims)
            if (d < 0) throw new ArgumentException($"A shape cannot have a negative size: ({string.Join(", ", dims)}).");
        _dims = (int[])dims.Clone();
        long n = 1;
        foreach (var d in _dims) n *= d;
        if (n > int.MaxValue) throw new ArgumentException($"Shape {this} has {n} elements, more than a tensor can hold.");
        Numel = (int)n;
    }

    /// <summary>Number of axes (0 for a scalar).</summary>
    public int Rank => _dims.Length;

    /// <summary>Total number of elements: the product of all sizes (1 for a scalar).</summary>
    public int Numel { get; }

    /// <summary>Size of axis <paramref name="axis"/>; negative axes count from the end (-1 is the last).</summary>
    public int this[int axis] => _dims[NormalizeAxis(axis, Rank)];

    /// <inheritdoc/>
    public int Count => _dims.Length;

    /// <summary>A copy of the sizes as an array.</summary>
    public int[] ToArray() => (int[])_dims.Clone();

    internal int[] Dims => _dims;

    /// <summary>Row-major (C-order) strides for this shape: the last axis has stride 1.</summary>
    internal int[] ContiguousStrides()
    {
        var s = new int[_dims.Length];
        int acc = 1;
        for (int i = _dims.Length - 1; i >= 0; i--) { s[i] = acc; acc *= _dims[i]; }
        return s;
    }

    /// <summary>Turns a possibly negative axis into 0..rank-1, or throws naming the valid range.</summary>
    public static int NormalizeAxis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for a tensor with {rank} axes (valid: {-rank}..{rank - 1}).");
        return a;
    }

    /// <inheritdoc/>
    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);
    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }
    /// <summary>Value equality.</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);
    /// <summary>Value inequality.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);
    /// <summary>Lets an int array stand where a shape is expected: <c>Tensor.Zeros(new[] {2, 3})</c>.</summary>
    public static implicit operator Shape(int[] dims) => new(dims);

    /// <summary>Prints as a tuple, e.g. <c>(2, 3)</c>; a scalar prints as <c>()</c>.</summary>
    public override string ToString() => "(" + string.Join(", ", _dims) + ")";

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_dims).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();
}
