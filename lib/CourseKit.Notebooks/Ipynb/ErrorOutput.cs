using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>The error that ended a cell: a compile error or an exception, with its traceback.</summary>
public sealed class ErrorOutput : CellOutput
{
    internal ErrorOutput(JsonObject json) : base(json)
    {
        RequiredString("ename");
        RequiredString("evalue");
        if (json["traceback"] is not JsonArray lines || lines.Any(line => !JsonAccess.IsString(line, out _)))
            throw new InvalidDataException("an error output needs a list of strings \"traceback\"");
        Traceback = new JsonBackedList<string>(lines, lines.Select(line => line!.GetValue<string>()), line => JsonValue.Create(line));
    }

    /// <summary>A new error output.</summary>
    /// <param name="ename">The error's name, e.g. the exception type.</param>
    /// <param name="evalue">The error message.</param>
    /// <param name="traceback">The lines of the traceback (they may contain ANSI color codes).</param>
    public ErrorOutput(string ename, string evalue, IEnumerable<string> traceback)
        : this(new JsonObject
        {
            ["output_type"] = "error", ["ename"] = ename, ["evalue"] = evalue,
            ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode?)JsonValue.Create(line)).ToArray()),
        }) { }

    /// <summary>The error's name, e.g. <c>System.DivideByZeroException</c>.</summary>
    public string EName
    {
        get => RequiredString("ename");
        set => Json["ename"] = value;
    }

    /// <summary>The error message.</summary>
    public string EValue
    {
        get => RequiredString("evalue");
        set => Json["evalue"] = value;
    }

    /// <summary>The lines of the traceback; changing the list changes the output.</summary>
    public IList<string> Traceback { get; }
}
