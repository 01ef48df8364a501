using System.Numerics.Tensors;

namespace CourseKit;

/// <summary>The element-wise binary operations that <see cref="Tensor"/> arithmetic dispatches to SIMD loops.</summary>
internal enum BinaryOp { Add, Subtract, Multiply, Divide, Maximum, Minimum }

public partial class Tensor
{
    /// <summary>Element-wise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) =>
        Record(Binary(a, b, BinaryOp.Add, "Add"), "Add", [a, b], g => [g, g]);                       // d(a+b) = (g, g)

    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) =>
        Record(Binary(a, b, BinaryOp.Subtract, "Subtract"), "Subtract", [a, b], g => [g, -g]);      // d(a−b) = (g, −g)

    /// <summary>Element-wise (Hadamard) product with broadcasting — not the matrix product (see <see cref="MatMul"/>).</summary>
    public static Tensor operator *(Tensor a, Tensor b) =>
        Record(Binary(a, b, BinaryOp.Multiply, "Multiply"), "Multiply", [a, b], g => [g * b, g * a]); // d(ab) = (g·b, g·a)

    /// <summary>Element-wise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) =>
        Record(Binary(a, b, BinaryOp.Divide, "Divide"), "Divide", [a, b], g => [g / b, -g * a / (b * b)]); // d(a/b) = (g/b, −g·a/b²)

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a * -1f;

    /// <summary>Adds a number to every element.</summary>
    public static Tensor operator +(Tensor a, float s) => a + Scalar(s);
    /// <summary>Adds a number to every element.</summary>
    public static Tensor operator +(float s, Tensor a) => Scalar(s) + a;
    /// <summary>Subtracts a number from every element.</summary>
    public static Tensor operator -(Tensor a, float s) => a + Scalar(-s);
    /// <summary>Subtracts every element from a number.</summary>
    public static Tensor operator -(float s, Tensor a) => Scalar(s) - a;
    /// <summary>Multiplies every element by a number.</summary>
    public static Tensor operator *(Tensor a, float s) => a * Scalar(s);
    /// <summary>Multiplies every element by a number.</summary>
    public static Tensor operator *(float s, Tensor a) => Scalar(s) * a;
    /// <summary>Divides every element by a number.</summary>
    public static Tensor operator /(Tensor a, float s) => a * Scalar(1f / s);
    /// <summary>Divides a number by every element.</summary>
    public static Tensor operator /(float s, Tensor a) => Scalar(s) / a;

    /// <summary>Element-wise maximum of two tensors (broadcasting); the gradient goes to the larger one (to <paramref name="a"/> on ties).</summary>
    public static Tensor Maximum(Tensor a, Tensor b)
    {
        var result = Binary(a, b, BinaryOp.Maximum, "Maximum");
        return Record(result, "Maximum", [a, b], g => { var m = a.Ge(b); return [g * m, g * (1f - m)]; });
    }

    /// <summary>Element-wise minimum of two tensors (broadcasting); the gradient goes to the smaller one (to <paramref name="a"/> on ties).</summary>
    public static Tensor Minimum(Tensor a, Tensor b)
    {
        var result = Binary(a, b, BinaryOp.Minimum, "Minimum");
        return Record(result, "Minimum", [a, b], g => { var m = a.Le(b); return [g * m, g * (1f - m)]; });
    }

    /// <summary>A contiguous copy of the values, or the tensor itself if already contiguous — without recording a graph node.</summary>
    internal Tensor Materialize() => IsContiguous ? this : new Tensor(ToArray(), Shape);

    /// <summary>Computes an element-wise binary operation with broadcasting (values only; callers record the gradient).</summary>
    internal static Tensor Binary(Tensor a, Tensor b, BinaryOp op, string name)
    {
        var shape = Broadcasting.Shape(a.Shape, b.Shape, name);
        var result = Uninitialized(shape);
        if (shape.Numel == 0) return result;
        a = a.Materialize();
        b = b.Materialize();
        int n = shape.Numel;
        float[] A = a.Storage, B = b.Storage, D = result.Storage;
        int offA = a.Offset, offB = b.Offset;
        if (a.Numel == n && b.Numel == n)
            Kernels.ParallelChunks.For(n, (s, c) => Apply(op, A.AsSpan(offA + s, c), B.AsSpan(offB + s, c), D.AsSpan(s, c)));
        else if (b.Numel == 1 && a.Numel == n)
            Kernels.ParallelChunks.For(n, (s, c) => Apply(op, A.AsSpan(offA + s, c), B[offB], D.AsSpan(s, c)));
        else if (a.Numel == 1 && b.Numel == n)
            Kernels.ParallelChunks.For(n, (s, c) => Apply(op, A[offA], B.AsSpan(offB + s, c), D.AsSpan(s, c)));
        else BroadcastRows(op, a, b, result);
        return result;
    }

    /// <summary>
    /// The general broadcasting loop: the trailing axes on which neither operand changes its role
    /// (each is either read fully or repeated) merge into one "row", done by one SIMD call.
    /// </summary>
    private static void BroadcastRows(BinaryOp op, Tensor a, Tensor b, Tensor result)
    {
        var shape = result.Shape.Dims;
        int rank = shape.Length;
        var sa = Broadcasting.Strides(a.Shape, result.Shape);
        var sb = Broadcasting.Strides(b.Shape, result.Shape);

        // Merge trailing axes while each operand is consistently full (stride ≠ 0) or broadcast (stride 0).
        int row = 1, split = rank;
        bool? aFull = null, bFull = null;
        while (split > 0)
        {
            int d = split - 1;
            if (shape[d] == 1) { split--; continue; }
            bool af = sa[d] != 0, bf = sb[d] != 0;
            if ((aFull ?? af) != af || (bFull ?? bf) != bf) break;
            aFull = af; bFull = bf;
            row *= shape[d];
            split--;
        }
        bool aRow = aFull ?? true, bRow = bFull ?? true;

        var A = a.Storage; var B = b.Storage; var D = result.Storage;
        var idx = new int[split];
        int outer = result.Numel / row;
        for (int o = 0; o < outer; o++)
        {
            int offA = a.Offset, offB = b.Offset;
            for (int d = 0; d < split; d++) { offA += idx[d] * sa[d]; offB += idx[d] * sb[d]; }
            var dst = D.AsSpan(o * row, row);
            if (aRow && bRow) Apply(op, A.AsSpan(offA, row), B.AsSpan(offB, row), dst);
            else if (aRow) Apply(op, A.AsSpan(offA, row), B[offB], dst);
            else if (bRow) Apply(op, A[offA], B.AsSpan(offB, row), dst);
            else dst.Fill(ApplyScalar(op, A[offA], B[offB]));
            for (int d = split - 1; d >= 0; d--)
            {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
    }

    private static void Apply(BinaryOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(x, y, d); break;
            case BinaryOp.Subtract: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryOp.Multiply: TensorPrimitives.Multiply(x, y, d); break;
            case BinaryOp.Divide: TensorPrimitives.Divide(x, y, d); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(x, y, d); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(x, y, d); break;
        }
    }

    private static void Apply(BinaryOp op, ReadOnlySpan<float> x, float y, Span<float> d)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(x, y, d); break;
            case BinaryOp.Subtract: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryOp.Multiply: TensorPrimitives.Multiply(x, y, d); break;
            case BinaryOp.Divide: TensorPrimitives.Divide(x, y, d); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(x, y, d); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(x, y, d); break;
        }
    }

    private static void Apply(BinaryOp op, float x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(y, x, d); break;
            case BinaryOp.Subtract: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryOp.Multiply: TensorPrimitives.Multiply(y, x, d); break;
            case BinaryOp.Divide: TensorPrimitives.Divide(x, y, d); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(y, x, d); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(y, x, d); break;
        }
    }

    private static float ApplyScalar(BinaryOp op, float x, float y) => op switch
    {
        BinaryOp.Add => x + y,
        BinaryOp.Subtract => x - y,
        BinaryOp.Multiply => x * y,
        BinaryOp.Divide => x / y,
        BinaryOp.Maximum => MathF.Max(x, y),
        _ => MathF.Min(x, y),
    };

    // ------------------------------------------------------------------ in-place (no graph; for optimisers)

    /// <summary>this += alpha·other, in place (same shape). For optimisers and accumulators; not recorded.</summary>
    public Tensor AddInPlace(Tensor other, float alpha = 1f)
    {
        GuardInPlace("AddInPlace");
        if (other.Shape != Shape) throw new ShapeException($"AddInPlace: shapes {Shape} and {other.Shape} differ.");
        var src = other.Materialize().Span;
        if (!IsContiguous) { CopyFrom(this + other * alpha); return this; }
        if (alpha == 1f) TensorPrimitives.Add(Span, src, Span);
        else TensorPrimitives.MultiplyAdd(src, alpha, Span, Span);
        return this;
    }

    /// <summary>this *= s, in place. Not recorded.</summary>
    public Tensor MulInPlace(float s)
    {
        GuardInPlace("MulInPlace");
        if (IsContiguous) TensorPrimitives.Multiply(Span, s, Span);
        else CopyFrom(this * s);
        return this;
    }
}
