using System.Collections.ObjectModel;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>
/// One cell of a notebook: a typed view over its nbformat JSON. Keys the view does not know (attachments,
/// unknown metadata, …) are kept and saved unchanged.
/// </summary>
public sealed class NotebookCell
{
    private static readonly IList<CellOutput> NoOutputs = new ReadOnlyCollection<CellOutput>([]);

    /// <summary>Wraps <paramref name="json"/>, adding the keys nbformat requires when they are missing.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a valid cell.</exception>
    internal NotebookCell(JsonObject json)
    {
        Json = json;
        Kind = JsonAccess.StringAt(json, "cell_type") switch
        {
            "code" => CellKind.Code,
            "markdown" => CellKind.Markdown,
            "raw" => CellKind.Raw,
            var other => throw new InvalidDataException(other is null ? "it has no \"cell_type\"" : $"unknown cell_type \"{other}\" (expected code, markdown or raw)"),
        };
        if (!json.ContainsKey("source")) json["source"] = "";
        MultilineText.Join(json, "source");
        if (json["metadata"] is not JsonObject) json["metadata"] = new JsonObject();
        if (Kind != CellKind.Code) return;

        if (!json.ContainsKey("execution_count")) json["execution_count"] = null;
        if (json["outputs"] is not JsonArray outputs) json["outputs"] = outputs = [];
        var typed = outputs.Select((o, i) =>
        {
            try
            {
                return o is JsonObject output ? CellOutput.Wrap(output) : throw new InvalidDataException("it is not a JSON object");
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"output {i + 1}: {e.Message}", e);
            }
        }).ToList();
        Outputs = new JsonBackedList<CellOutput>(outputs, typed, output => output.Json, added: output =>
        {
            if (output.Json.Parent is not null)
                throw new InvalidOperationException("This output already belongs to a cell; add a copy: CellOutput.FromJson(output.ToJson()).");
        });
    }

    /// <summary>A new C# code cell with <paramref name="source"/>, tagged with <paramref name="tags"/>.</summary>
    public static NotebookCell NewCode(string source, params string[] tags)
    {
        var metadata = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } };
        if (tags.Length > 0) metadata["tags"] = new JsonArray(tags.Select(tag => (JsonNode?)tag).ToArray());
        return new NotebookCell(new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = metadata, ["outputs"] = new JsonArray(), ["source"] = source,
        });
    }

    /// <summary>A new Markdown cell with <paramref name="source"/>.</summary>
    public static NotebookCell NewMarkdown(string source) =>
        new(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = source });

    /// <summary>The cell's nbformat JSON (multi-line strings held as one string).</summary>
    internal JsonObject Json { get; }

    /// <summary>The notebook the cell is in, or null for a cell not (or no longer) in one.</summary>
    public NotebookDocument? Document { get; internal set; }

    /// <summary>Code, Markdown or raw.</summary>
    public CellKind Kind { get; }

    /// <summary>The cell's text, including a kernel-selecting magic first line such as <c>#!csharp</c>.</summary>
    public string Source
    {
        get => Json["source"]!.GetValue<string>();
        set => Json["source"] = value;
    }

    /// <summary>The cell id (nbformat 4.5 and later), or null.</summary>
    public string? Id
    {
        get => JsonAccess.StringAt(Json, "id");
        internal set => Json["id"] = value;
    }

    /// <summary>The cell's metadata: <c>tags</c>, <c>polyglot_notebook.kernelName</c>, anything tools store there.</summary>
    public JsonObject Metadata => (JsonObject)Json["metadata"]!;

    /// <summary>Files attached to a Markdown cell (name → MIME bundle, e.g. a pasted image), or null.</summary>
    public JsonObject? Attachments => Json["attachments"] as JsonObject;

    /// <summary>The cell's tags (<c>metadata.tags</c>).</summary>
    public IReadOnlyList<string> Tags =>
        (Metadata["tags"] as JsonArray ?? []).Select(tag => JsonAccess.IsString(tag, out string? text) ? text : null).OfType<string>().ToList();

    /// <summary>How many cells ran before this one in the kernel session that ran it; null if it has not run (code cells only).</summary>
    /// <exception cref="InvalidOperationException">Set on a Markdown or raw cell.</exception>
    public int? ExecutionCount
    {
        get => Kind == CellKind.Code && Json["execution_count"] is JsonValue count && count.TryGetValue(out int n) ? n : null;
        set
        {
            if (Kind != CellKind.Code) throw new InvalidOperationException($"{Describe()} is a {Kind.ToString().ToLowerInvariant()} cell: only code cells have an execution count.");
            Json["execution_count"] = value;
        }
    }

    /// <summary>The cell's outputs, in order; changing the list changes the notebook. Empty and read-only for Markdown and raw cells.</summary>
    public IList<CellOutput> Outputs { get; } = NoOutputs;

    /// <summary>The cell's position in its notebook, from 0 (−1 when it is in none).</summary>
    public int Index => Document?.Cells.IndexOf(this) ?? -1;

    /// <summary>
    /// The kernel that runs the cell — <c>csharp</c>, <c>fsharp</c>, <c>markdown</c>, … — from, in order: a magic
    /// first line (<c>#!csharp</c>, <c>#!c#</c>, <c>#!markdown</c>, …), <c>metadata.polyglot_notebook.kernelName</c>,
    /// the legacy <c>metadata.dotnet_interactive.language</c>, <c>markdown</c> for Markdown cells, else
    /// <paramref name="defaultKernel"/> (usually <see cref="NotebookDocument.DefaultKernelName"/>).
    /// </summary>
    public string KernelName(string defaultKernel) =>
        MagicKernel()
        ?? JsonAccess.StringAt(Metadata["polyglot_notebook"], "kernelName")
        ?? JsonAccess.StringAt(Metadata["dotnet_interactive"], "language")
        ?? (Kind == CellKind.Markdown ? "markdown" : defaultKernel);

    /// <summary><see cref="Source"/> without a kernel-selecting magic first line.</summary>
    public string Code => MagicKernel() is null ? Source : Source[FirstLineLength(Source)..];

    /// <summary>The line of <see cref="Source"/> where <see cref="Code"/> starts, from 1 (2 after a magic line): for error messages.</summary>
    public int CodeFirstLine => MagicKernel() is null ? 1 : 2;

    /// <summary>The cell for messages: <c>cell 3 (id 1a2b3c4d)</c>, counting cells from 1 as people do.</summary>
    public string Describe()
    {
        string where = Index >= 0 ? $"cell {Index + 1}" : "a cell outside any notebook";
        return Id switch
        {
            null => where,
            { Length: > 12 } id => $"{where} (id {id[..8]}…)",
            var id => $"{where} (id {id})",
        };
    }

    /// <summary>The kernel the magic first line chooses, or null when there is none.</summary>
    private string? MagicKernel()
    {
        string source = Source;
        int end = source.IndexOf('\n');
        return KernelNames.FromMagic(end < 0 ? source : source[..end], Document?.Metadata);
    }

    /// <summary>The length of the first line including its line break.</summary>
    private static int FirstLineLength(string text) => text.IndexOf('\n') is var end and >= 0 ? end + 1 : text.Length;
}
