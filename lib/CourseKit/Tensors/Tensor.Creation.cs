namespace CourseKit;

public partial class Tensor
{
    /// <summary>A tensor with the given shape and values in row-major order (the array is copied).</summary>
    public static Tensor FromArray(float[] values, params int[] shape)
    {
        var s = new Shape(shape);
        if (values.Length != s.Numel)
            throw new ShapeException($"FromArray: {values.Length} values do not fill shape {s} ({s.Numel} values).");
        return new Tensor((float[])values.Clone(), s);
    }

    /// <summary>A 1-D tensor: <c>Tensor.Of(1, 2, 3)</c>.</summary>
    public static Tensor Of(params float[] values) => new((float[])values.Clone(), new Shape(values.Length));

    /// <summary>A single-value tensor (shape <c>()</c>).</summary>
    public static Tensor Scalar(float value) => new([value], new Shape());

    /// <summary>A 2-D tensor from a C# matrix literal: <c>Tensor.From(new float[,] {{1, 2}, {3, 4}})</c>.</summary>
    public static Tensor From(float[,] values)
    {
        int r = values.GetLength(0), c = values.GetLength(1);
        var data = new float[r * c];
        Buffer.BlockCopy(values, 0, data, 0, data.Length * sizeof(float));
        return new Tensor(data, new Shape(r, c));
    }

    /// <summary>A 3-D tensor from a C# array literal (e.g. channels × height × width).</summary>
    public static Tensor From(float[,,] values)
    {
        int a = values.GetLength(0), b = values.GetLength(1), c = values.GetLength(2);
        var data = new float[a * b * c];
        Buffer.BlockCopy(values, 0, data, 0, data.Length * sizeof(float));
        return new Tensor(data, new Shape(a, b, c));
    }

    /// <summary>A 4-D tensor from a C# array literal (NCHW).</summary>
    public static Tensor From(float[,,,] values)
    {
        int a = values.GetLength(0), b = values.GetLength(1), c = values.GetLength(2), d = values.GetLength(3);
        var data = new float[a * b * c * d];
        Buffer.BlockCopy(values, 0, data, 0, data.Length * sizeof(float));
        return new Tensor(data, new Shape(a, b, c, d));
    }

    /// <summary>
    /// A tensor whose every element the caller will overwrite: skips zeroing the memory. Kernels use it
    /// for outputs they fill completely.
    /// </summary>
    internal static Tensor Uninitialized(Shape shape) => new(Kernels.LargeBuffers.Allocate(shape.Numel, zeroed: false), shape);

    /// <summary>All zeros.</summary>
    public static Tensor Zeros(params int[] shape) { var s = new Shape(shape); return new Tensor(Kernels.LargeBuffers.Allocate(s.Numel), s); }
    /// <summary>All ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);
    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var s = new Shape(shape);
        var data = Kernels.LargeBuffers.Allocate(s.Numel, zeroed: false);
        Array.Fill(data, value);
        return new Tensor(data, s);
    }
    /// <summary>Zeros with the shape of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Zeros(like.Shape.Dims);
    /// <summary>Ones with the shape of <paramref name="like"/>.</summary>
    public static Tensor OnesLike(Tensor like) => Ones(like.Shape.Dims);

    /// <summary>0, 1, …, n−1 as a 1-D tensor.</summary>
    public static Tensor Arange(int n) => Arange(0, n);
    /// <summary>start, start+step, … (excluding <paramref name="end"/>).</summary>
    public static Tensor Arange(float start, float end, float step = 1f)
    {
        if (step == 0) throw new ArgumentException("Arange: step cannot be 0.");
        int n = Math.Max(0, (int)Math.Ceiling((end - start) / step));
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = start + i * step;
        return new Tensor(data, new Shape(n));
    }
    /// <summary><paramref name="count"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/> inclusive.</summary>
    public static Tensor Linspace(float start, float end, int count)
    {
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = count == 1 ? start : start + (end - start) * i / (count - 1);
        return new Tensor(data, new Shape(count));
    }
    /// <summary>The n×n identity matrix.</summary>
    public static Tensor Eye(int n)
    {
        var t = Zeros(n, n);
        for (int i = 0; i < n; i++) t.Storage[i * n + i] = 1;
        return t;
    }

    /// <summary>Uniform random values in [low, high), drawn from <see cref="Rng"/>.</summary>
    public static Tensor Uniform(float low, float high, params int[] shape)
    {
        var t = Zeros(shape);
        var d = t.Storage;
        Rng.FillUniform(d, low, high);                                        // one lock for the whole tensor, not one per value
        return t;
    }
    /// <summary>Uniform random values in [0, 1).</summary>
    public static Tensor Rand(params int[] shape) => Uniform(0f, 1f, shape);
    /// <summary>Standard-normal random values N(0, 1).</summary>
    public static Tensor Randn(params int[] shape) => Normal(0f, 1f, shape);
    /// <summary>Normal random values N(mean, std²).</summary>
    public static Tensor Normal(float mean, float std, params int[] shape)
    {
        var t = Zeros(shape);
        var d = t.Storage;
        for (int i = 0; i < d.Length; i++) d[i] = Rng.Normal(mean, std);
        return t;
    }
    /// <summary>Random integers in [low, high) stored as floats (e.g. class labels).</summary>
    public static Tensor RandInt(int low, int high, params int[] shape)
    {
        var t = Zeros(shape);
        var d = t.Storage;
        for (int i = 0; i < d.Length; i++) d[i] = Rng.Next(low, high);
        return t;
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for fluent code: <c>Tensor.Randn(3).WithGrad()</c>.</summary>
    public Tensor WithGrad(bool requiresGrad = true) { RequiresGrad = requiresGrad; return this; }
}
