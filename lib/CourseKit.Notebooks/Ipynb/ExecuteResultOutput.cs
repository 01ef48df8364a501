using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>The value of a cell's last expression (shown next to <c>Out[n]:</c>).</summary>
public sealed class ExecuteResultOutput : RichOutput
{
    internal ExecuteResultOutput(JsonObject json) : base(json)
    {
        if (!json.ContainsKey("execution_count")) json["execution_count"] = null;
    }

    /// <summary>A new result of execution <paramref name="executionCount"/> showing <paramref name="bundle"/>.</summary>
    /// <param name="executionCount">The cell's execution count.</param>
    /// <param name="bundle">The value in each MIME type (JSON types are parsed).</param>
    public ExecuteResultOutput(int executionCount, IReadOnlyDictionary<string, string> bundle)
        : this(NewJson("execute_result", bundle)) => ExecutionCount = executionCount;

    /// <summary>The execution count of the run that produced the result (0 when the file has none).</summary>
    public int ExecutionCount
    {
        get => Json["execution_count"] is JsonValue count && count.TryGetValue(out int n) ? n : 0;
        set => Json["execution_count"] = value;
    }
}
