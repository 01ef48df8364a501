using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>
/// Collects a running cell's outputs into the notebook as nbformat outputs: consecutive writes to one stream
/// become one stream output, display updates replace the displayed output wherever it is in the notebook.
/// </summary>
internal sealed class NotebookOutputs(NotebookDocument notebook, NotebookCell cell, int executionCount) : ICellOutput
{
    private readonly object _gate = new();

    public void Stream(string name, string text)
    {
        lock (_gate)
        {
            var outputs = cell.Outputs;
            if (outputs.Count > 0 && outputs[^1] is StreamOutput last && last.Name == name)
                outputs[^1] = Output(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = last.Text + text });
            else
                outputs.Add(Output(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text }));
        }
    }

    public void Display(IReadOnlyDictionary<string, string> bundle, string displayId)
    {
        lock (_gate) cell.Outputs.Add(DisplayData(bundle, displayId));
    }

    public void UpdateDisplay(IReadOnlyDictionary<string, string> bundle, string displayId)
    {
        lock (_gate)
        {
            foreach (var other in notebook.Cells)
                for (int i = 0; i < other.Outputs.Count; i++)
                    if (other.Outputs[i] is DisplayDataOutput shown && shown.DisplayId == displayId)
                        other.Outputs[i] = DisplayData(bundle, displayId);
        }
    }

    public void Result(IReadOnlyDictionary<string, string> bundle)
    {
        lock (_gate)
            cell.Outputs.Add(Output(new JsonObject
            {
                ["output_type"] = "execute_result", ["execution_count"] = executionCount,
                ["data"] = Data(bundle), ["metadata"] = new JsonObject(),
            }));
    }

    public void Error(string name, string message, IReadOnlyList<string> traceback)
    {
        lock (_gate)
            cell.Outputs.Add(Output(new JsonObject
            {
                ["output_type"] = "error", ["ename"] = name, ["evalue"] = message,
                ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode)JsonValue.Create(line)!).ToArray()),
            }));
    }

    private static CellOutput DisplayData(IReadOnlyDictionary<string, string> bundle, string displayId) => Output(new JsonObject
    {
        ["output_type"] = "display_data", ["data"] = Data(bundle), ["metadata"] = new JsonObject(),
        ["transient"] = new JsonObject { ["display_id"] = displayId },
    });

    private static JsonObject Data(IReadOnlyDictionary<string, string> bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, text) in bundle)
            data[mime] = mime == "application/json" || mime.EndsWith("+json") ? JsonNode.Parse(text) : JsonValue.Create(text);
        return data;
    }

    private static CellOutput Output(JsonObject json) => CellOutput.FromJson(json);
}
