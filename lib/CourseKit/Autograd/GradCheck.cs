using System.Text;

namespace CourseKit;

/// <summary>
/// Checks a backward pass against central differences: for a random projection r, the analytic
/// gradient of L = Σ r·f(x) must match (L(x + ε) − L(x − ε)) / 2ε, element by element.
/// Students can call it on any function of tensors — including their own layers.
/// </summary>
/// <example><c>GradCheck.Assert(x => F.Conv2d(x, w, b, stride: 2), Tensor.Randn(2, 3, 7, 7))</c></example>
public static class GradCheck
{
    /// <summary>
    /// Compares analytic and numerical gradients of <paramref name="f"/> with respect to every input.
    /// The inputs are copied, so the caller's tensors are untouched. Float32 arithmetic limits the
    /// precision, hence the defaults ε = 1e-3 and tolerance |a − n| ≤ atol + rtol·|n|. Keep inputs away
    /// from kinks (ReLU at 0, ties in a max-pool window), where the derivative is not defined.
    /// </summary>
    public static GradCheckResult Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float eps = 1e-3f, float rtol = 1e-2f, float atol = 1e-2f, int seed = 1234)
    {
        var xs = inputs.Select(t => t.Detach().Materialize().Clone().WithGrad()).ToArray();
        var output = f(xs);
        var random = new Random(seed);
        var r = Tensor.FromArray(Enumerable.Range(0, output.Numel).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), output.Shape.Dims);
        if (!output.RequiresGrad)
            return new GradCheckResult(false, "The function's output does not depend on any input through recorded operations (it does not require grad).");
        (output * r).Sum().Backward();

        var report = new StringBuilder();
        bool passed = true;
        double worst = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            var analytic = xs[i].Grad?.ToArray() ?? new float[xs[i].Numel];
            var data = xs[i].Storage;
            int mismatches = 0;
            for (int j = 0; j < data.Length; j++)
            {
                float saved = data[j];
                data[j] = saved + eps; double plus = Projected(f, xs, r);
                data[j] = saved - eps; double minus = Projected(f, xs, r);
                data[j] = saved;
                double numeric = (plus - minus) / (2 * eps);
                double error = Math.Abs(analytic[j] - numeric);
                worst = Math.Max(worst, error / (atol + rtol * Math.Abs(numeric)));
                if (error > atol + rtol * Math.Abs(numeric))
                {
                    passed = false;
                    if (mismatches++ < 5)
                        report.AppendLine($"input {i} {xs[i].Shape} element {Index(xs[i].Shape, j)}: backward gives {analytic[j]:G6}, finite differences give {numeric:G6}");
                }
            }
            if (mismatches > 5) report.AppendLine($"input {i}: … {mismatches - 5} more mismatching elements");
        }
        return new GradCheckResult(passed, passed ? $"Gradients match (worst error {worst:P0} of the tolerance)." : report.ToString().TrimEnd());
    }

    /// <summary>Like <see cref="Check"/>, but throws with the mismatching elements listed when the check fails.</summary>
    public static void Assert(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var result = Check(f, inputs);
        if (!result.Passed) throw new GradCheckException(result.Message);
    }

    /// <summary>Single-input convenience: <c>GradCheck.Assert(x =&gt; x.Tanh(), Tensor.Randn(3, 4))</c>.</summary>
    public static void Assert(Func<Tensor, Tensor> f, Tensor input) => Assert(xs => f(xs[0]), [input]);

    private static double Projected(Func<Tensor[], Tensor> f, Tensor[] xs, Tensor r)
    {
        using var _ = Tensor.NoGrad();
        var y = f(xs).ToArray();
        var w = r.Storage;
        double sum = 0;
        for (int k = 0; k < y.Length; k++) sum += (double)y[k] * w[k];
        return sum;
    }

    private static string Index(Shape shape, int flat)
    {
        var idx = new int[shape.Rank];
        for (int a = shape.Rank - 1; a >= 0; a--) { idx[a] = flat % Math.Max(1, shape[a]); flat /= Math.Max(1, shape[a]); }
        return "[" + string.Join(", ", idx) + "]";
    }
}

/// <summary>Outcome of <see cref="GradCheck.Check"/>: whether it passed, and which elements disagreed.</summary>
public sealed record GradCheckResult(bool Passed, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => (Passed ? "✓ " : "✗ ") + Message;
}

/// <summary>Thrown by <see cref="GradCheck.Assert(Func{Tensor[], Tensor}, Tensor[])"/> when a backward pass disagrees with finite differences.</summary>
public sealed class GradCheckException(string message) : Exception(message);
