using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace CourseKit.Notebooks;

/// <summary>
/// Papermill-style parameters: the values given on the command line become a cell tagged
/// <c>injected-parameters</c>, inserted after the cell tagged <c>parameters</c> and run after it, that assigns
/// each variable a literal of the type the parameters cell declared (so <c>-p epochs=1</c> stays an int and
/// <c>-p lr=0.01</c> a float).
/// </summary>
public static class Parameters
{
    /// <summary>The tag of the cell whose variables may be set.</summary>
    public const string Tag = "parameters";

    /// <summary>The tag of the cell CourseKit inserts.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>C# assignments setting <paramref name="values"/> on the variables the parameters cell declared.</summary>
    /// <exception cref="NotebookException">A name the cell does not declare, a value that does not parse as the variable's type, or an unsupported type.</exception>
    public static string Assignments(IReadOnlyDictionary<string, string> values, IReadOnlyList<Microsoft.CodeAnalysis.Scripting.ScriptVariable> declared, string cellName)
    {
        var lines = new List<string> { "// Parameters injected by `coursekit run -p`." };
        foreach (var (name, text) in values)
        {
            var variable = declared.FirstOrDefault(v => v.Name == name)
                ?? throw new NotebookException($"parameter '{name}' is not declared in the parameters cell ({cellName}); it declares: {string.Join(", ", declared.Select(v => v.Name))}.");
            lines.Add($"{name} = {Literal(variable.Type, text, name)};");
        }
        return string.Join("\n", lines);
    }

    private static string Literal(Type type, string text, string name)
    {
        var invariant = CultureInfo.InvariantCulture;
        try
        {
            return Type.GetTypeCode(type) switch
            {
                TypeCode.String => SymbolDisplay.FormatLiteral(text, quote: true),
                TypeCode.Boolean => bool.Parse(text) ? "true" : "false",
                TypeCode.Int32 => int.Parse(text, invariant).ToString(invariant),
                TypeCode.Int64 => long.Parse(text, invariant).ToString(invariant) + "L",
                TypeCode.Single => float.Parse(text, invariant).ToString("R", invariant) + "f",
                TypeCode.Double => double.Parse(text, invariant).ToString("R", invariant) + "d",
                TypeCode.Decimal => decimal.Parse(text, invariant).ToString(invariant) + "m",
                _ => throw new NotebookException($"parameter '{name}' is a {type.Name}; only strings, booleans, int, long, float, double and decimal can be set."),
            };
        }
        catch (FormatException)
        {
            throw new NotebookException($"parameter '{name}' is a {type.Name}, and '{text}' is not one.");
        }
        catch (OverflowException)
        {
            throw new NotebookException($"parameter '{name}' is a {type.Name}, and '{text}' is out of its range.");
        }
    }
}
