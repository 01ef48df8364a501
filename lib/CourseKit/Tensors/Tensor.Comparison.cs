namespace CourseKit;

public partial class Tensor
{
    private enum Comparison { Eq, Ne, Gt, Ge, Lt, Le }

    private Tensor Compare(Tensor other, Comparison test)
    {
        var shape = Broadcasting.Shape(Shape, other.Shape, test.ToString());
        ReadOnlySpan<float> a = Numel == shape.Numel ? Materialize().Span : Detach().Expand(shape.Dims).ToArray();
        bool scalar = other.Numel == 1 && shape.Numel != 1;
        ReadOnlySpan<float> b = scalar ? [other.Storage[other.Offset]]
            : other.Numel == shape.Numel ? other.Materialize().Span : other.Detach().Expand(shape.Dims).ToArray();
        var result = new float[shape.Numel];
        for (int i = 0; i < result.Length; i++)
        {
            float x = a[i], y = scalar ? b[0] : b[i];
            bool hit = test switch
            {
                Comparison.Eq => x == y,
                Comparison.Ne => x != y,
                Comparison.Gt => x > y,
                Comparison.Ge => x >= y,
                Comparison.Lt => x < y,
                _ => x <= y,
            };
            result[i] = hit ? 1f : 0f;
        }
        return new Tensor(result, shape);
    }

    /// <summary>1 where this = other, else 0 (broadcasting; no gradient). <c>(pred.Eq(labels)).Mean()</c> is the accuracy.</summary>
    public Tensor Eq(Tensor other) => Compare(other, Comparison.Eq);
    /// <summary>1 where this ≠ other, else 0.</summary>
    public Tensor Ne(Tensor other) => Compare(other, Comparison.Ne);
    /// <summary>1 where this &gt; other, else 0.</summary>
    public Tensor Gt(Tensor other) => Compare(other, Comparison.Gt);
    /// <summary>1 where this ≥ other, else 0.</summary>
    public Tensor Ge(Tensor other) => Compare(other, Comparison.Ge);
    /// <summary>1 where this &lt; other, else 0.</summary>
    public Tensor Lt(Tensor other) => Compare(other, Comparison.Lt);
    /// <summary>1 where this ≤ other, else 0.</summary>
    public Tensor Le(Tensor other) => Compare(other, Comparison.Le);
    /// <summary>1 where this = value.</summary>
    public Tensor Eq(float value) => Eq(Scalar(value));
    /// <summary>1 where this &gt; value.</summary>
    public Tensor Gt(float value) => Gt(Scalar(value));
    /// <summary>1 where this ≥ value.</summary>
    public Tensor Ge(float value) => Ge(Scalar(value));
    /// <summary>1 where this &lt; value.</summary>
    public Tensor Lt(float value) => Lt(Scalar(value));
    /// <summary>1 where this ≤ value.</summary>
    public Tensor Le(float value) => Le(Scalar(value));

    /// <summary>True when the shapes are equal and every |a − b| ≤ atol + rtol·|b| (like <c>torch.allclose</c>).</summary>
    public bool AllClose(Tensor other, float rtol = 1e-5f, float atol = 1e-8f)
    {
        if (Shape != other.Shape) return false;
        var a = ToArray(); var b = other.ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            if (float.IsNaN(a[i]) || float.IsNaN(b[i])) return false;
            if (MathF.Abs(a[i] - b[i]) > atol + rtol * MathF.Abs(b[i])) return false;
        }
        return true;
    }

    /// <summary>True when shapes and all values are exactly equal.</summary>
    public bool ValueEquals(Tensor other) => Shape == other.Shape && ToArray().AsSpan().SequenceEqual(other.ToArray());
}
