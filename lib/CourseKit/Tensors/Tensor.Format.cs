using System.Globalization;
using System.Text;

namespace CourseKit;

public partial class Tensor
{
    /// <summary>
    /// A readable print-out: the values as nested brackets (whole numbers without decimals, others
    /// with 4), long axes shortened with "…", followed by the shape — e.g.
    /// <c>[[-5, -4, 0, 8], …] shape (4, 4)</c>.
    /// </summary>
    public override string ToString()
    {
        var values = ToArray();
        bool integral = values.All(v => v == MathF.Round(v) && MathF.Abs(v) < 1e7f);
        string Format(float v) => float.IsNaN(v) ? "nan" : float.IsInfinity(v) ? (v > 0 ? "inf" : "-inf")
            : integral ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.0000", CultureInfo.InvariantCulture);
        bool summarize = values.Length > 1000;
        int width = values.Length == 0 ? 1 : values.Select(Format).Max(s => s.Length);
        var sb = new StringBuilder();
        if (Name is not null) sb.Append(Name).Append(" = ");
        if (Rank == 0) sb.Append(Format(values[0]));
        else Append(sb, values, 0, 0, width, Format, summarize, indent: Name is null ? 0 : Name.Length + 3);
        sb.Append("  shape ").Append(Shape);
        if (GradFn is not null) sb.Append("  grad_fn=").Append(GradFn.Op);
        else if (RequiresGrad) sb.Append("  requires_grad");
        return sb.ToString();
    }

    private void Append(StringBuilder sb, float[] values, int axis, int offset, int width, Func<float, string> format, bool summarize, int indent)
    {
        int n = Shape.Dims[axis];
        int block = 1;
        for (int i = axis + 1; i < Rank; i++) block *= Shape.Dims[i];
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (summarize && n > 6 && i == 3)
            {
                sb.Append(axis == Rank - 1 ? "…, " : "…,\n" + new string(' ', indent + axis + 1));
                i = n - 3;
            }
            if (axis == Rank - 1) sb.Append(format(values[offset + i]).PadLeft(width));
            else Append(sb, values, axis + 1, offset + i * block, width, format, summarize, indent);
            if (i < n - 1)
                sb.Append(axis == Rank - 1 ? ", " : "," + new string('\n', Rank - 1 - axis) + new string(' ', indent + axis + 1));
        }
        sb.Append(']');
    }
}
