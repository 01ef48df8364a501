namespace CourseKit;

public partial class Tensor
{
    private Tensor Compare(Tensor other, Func<float, float, bool> test, string op)
    {
        var shape = Broadcasting.Shape(Shape, other.Shape, op);
        var a = Detach().Expand(shape.Dims).ToArray();
        var b = other.Detach().Expand(shape.Dims).ToArray();
        var result = new float[a.Length];
        for (int i = 0; i < a.Length; i++) result[i] = test(a[i], b[i]) ? 1f : 0f;
        return new Tensor(result, shape);
    }

    /// <summary>1 where this = other, else 0 (broadcasting; no gradient). <c>(pred.Eq(labels)).Mean()</c> is the accuracy.</summary>
    public Tensor Eq(Tensor other) => Compare(other, (x, y) => x == y, "Eq");
    /// <summary>1 where this ≠ other, else 0.</summary>
    public Tensor Ne(Tensor other) => Compare(other, (x, y) => x != y, "Ne");
    /// <summary>1 where this &gt; other, else 0.</summary>
    public Tensor Gt(Tensor other) => Compare(other, (x, y) => x > y, "Gt");
    /// <summary>1 where this ≥ other, else 0.</summary>
    public Tensor Ge(Tensor other) => Compare(other, (x, y) => x >= y, "Ge");
    /// <summary>1 where this &lt; other, else 0.</summary>
    public Tensor Lt(Tensor other) => Compare(other, (x, y) => x < y, "Lt");
    /// <summary>1 where this ≤ other, else 0.</summary>
    public Tensor Le(Tensor other) => Compare(other, (x, y) => x <= y, "Le");
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
