using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>
/// A Jupyter notebook (<c>.ipynb</c>, nbformat 4): its cells and metadata as typed views over the JSON, which
/// keeps everything else the file holds. Saving writes the JSON as VS Code does, so a notebook opened and
/// saved unchanged stays the same byte for byte.
/// </summary>
public sealed class NotebookDocument
{
    private readonly JsonObject _json;

    private NotebookDocument(JsonObject json, string? sourceName)
    {
        _json = json;
        SourceName = sourceName;
        var cells = (JsonArray)json["cells"]!;
        var typed = cells.Select((cell, i) =>
        {
            try
            {
                return cell is JsonObject obj ? new NotebookCell(obj) : throw new InvalidDataException("it is not a JSON object");
            }
            catch (InvalidDataException e)
            {
                throw NotANotebook($"cell {i + 1}: {e.Message}");
            }
        }).ToList();
        foreach (var cell in typed) cell.Document = this;
        Cells = new JsonBackedList<NotebookCell>(cells, typed, cell => cell.Json, Adopt, cell => cell.Document = null);
    }

    /// <summary>Reads the notebook at <paramref name="path"/>.</summary>
    /// <exception cref="NotebookException">The file is not an nbformat 4 notebook; the message names the file and the problem.</exception>
    public static NotebookDocument Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Reads a notebook from its JSON text; <paramref name="sourceName"/> (e.g. the file name) starts error messages.</summary>
    /// <exception cref="NotebookException">The text is not an nbformat 4 notebook.</exception>
    public static NotebookDocument Parse(string json, string? sourceName = null)
    {
        string name = sourceName ?? "notebook";
        if (string.IsNullOrWhiteSpace(json)) throw new NotebookException($"{name}: not a notebook: the file is empty");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            string reason = e.Message.Split(" LineNumber:")[0].Split(" Path:")[0];
            throw new NotebookException($"{name}: not a notebook: invalid JSON{where}: {reason}", e);
        }
        if (root is not JsonObject notebook) throw new NotebookException($"{name}: not a notebook: the JSON is not an object");
        if (notebook["nbformat"] is not JsonValue major || !major.TryGetValue(out int formatMajor))
            throw new NotebookException($"{name}: not a notebook: it has no \"nbformat\" version number");
        if (notebook["nbformat_minor"] is not JsonValue minor || !minor.TryGetValue(out int formatMinor))
            notebook["nbformat_minor"] = formatMinor = 0;
        if (formatMajor != 4)
            throw new NotebookException($"{name}: nbformat {formatMajor}.{formatMinor} is not supported: CourseKit reads nbformat 4 notebooks (convert with `jupyter nbconvert --to notebook --nbformat 4 {name}`)");
        if (notebook["cells"] is not JsonArray)
            throw new NotebookException($"{name}: not a notebook: it has no \"cells\" list");
        if (notebook["metadata"] is not JsonObject) notebook["metadata"] = new JsonObject();
        return new NotebookDocument(notebook, sourceName);
    }

    /// <summary>
    /// An empty C# notebook as VS Code's Polyglot Notebooks extension creates it: nbformat 4.5, the
    /// <c>.net-csharp</c> kernelspec and <c>csharp</c> as the default kernel.
    /// </summary>
    public static NotebookDocument CreateCSharp() => new(new JsonObject
    {
        ["cells"] = new JsonArray(),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            ["polyglot_notebook"] = new JsonObject
            {
                ["kernelInfo"] = new JsonObject
                {
                    ["defaultKernelName"] = "csharp",
                    ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                },
            },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }, sourceName: null);

    /// <summary>The file or name the notebook was read from (starts error messages), or null.</summary>
    public string? SourceName { get; }

    /// <summary>The cells in order; adding, removing or reordering them changes the notebook.</summary>
    public IList<NotebookCell> Cells { get; }

    /// <summary>The notebook's metadata: <c>kernelspec</c>, <c>language_info</c>, <c>polyglot_notebook</c>, …</summary>
    public JsonObject Metadata => (JsonObject)_json["metadata"]!;

    /// <summary>The nbformat major version (4).</summary>
    public int FormatMajor => _json["nbformat"]!.GetValue<int>();

    /// <summary>The nbformat minor version; from 5 on, cells have ids.</summary>
    public int FormatMinor => _json["nbformat_minor"]!.GetValue<int>();

    /// <summary>
    /// The kernel that runs cells choosing none: <c>polyglot_notebook.kernelInfo.defaultKernelName</c>, else the
    /// kernelspec's (<c>.net-csharp</c> → <c>csharp</c>) or its language, else <c>language_info.name</c>, else <c>csharp</c>.
    /// </summary>
    public string DefaultKernelName =>
        JsonAccess.StringAt(Metadata["polyglot_notebook"]?["kernelInfo"], "defaultKernelName")
        ?? KernelNames.FromKernelspec(JsonAccess.StringAt(Metadata["kernelspec"], "name"))
        ?? (JsonAccess.StringAt(Metadata["kernelspec"], "language") is { } kernelLanguage ? KernelNames.FromLanguage(kernelLanguage.ToLowerInvariant()) : null)
        ?? (JsonAccess.StringAt(Metadata["language_info"], "name") is { } language and not "polyglot-notebook" ? KernelNames.FromLanguage(language) : null)
        ?? "csharp";

    /// <summary>Inserts a new C# code cell at <paramref name="index"/> (with an id from nbformat 4.5 on) and returns it.</summary>
    /// <param name="index">Where the cell goes, from 0; <c>Cells.Count</c> appends it.</param>
    /// <param name="source">The cell's code.</param>
    /// <param name="tags">Tags for <c>metadata.tags</c>, e.g. <c>solution</c>.</param>
    public NotebookCell InsertCode(int index, string source, params string[] tags)
    {
        var cell = NotebookCell.NewCode(source, tags);
        Cells.Insert(index, cell);
        return cell;
    }

    /// <summary>Inserts a new Markdown cell at <paramref name="index"/> and returns it.</summary>
    public NotebookCell InsertMarkdown(int index, string source)
    {
        var cell = NotebookCell.NewMarkdown(source);
        Cells.Insert(index, cell);
        return cell;
    }

    /// <summary>
    /// The notebook's JSON as VS Code's ipynb serializer writes it: keys sorted recursively, a one-space indent,
    /// sources and text outputs as lists of lines, a final newline.
    /// </summary>
    public string ToJson()
    {
        var multiline = new List<JsonNode>();
        foreach (var cell in Cells)
        {
            multiline.Add(cell.Json["source"]!);
            foreach (var output in cell.Outputs)
            {
                if (output is StreamOutput) multiline.Add(output.Json["text"]!);
                if (output is RichOutput rich)
                    multiline.AddRange(rich.Data.Where(p => RichOutput.IsLinesMime(p.Key) && JsonAccess.IsString(p.Value, out _)).Select(p => p.Value!));
            }
        }
        return IpynbJsonWriter.Write(_json, multiline);
    }

    /// <summary>Writes the notebook to <paramref name="path"/> atomically (a temporary file then replaces it).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>Takes <paramref name="cell"/> into this notebook, giving it an id if the format wants one.</summary>
    private void Adopt(NotebookCell cell)
    {
        if (cell.Document is not null)
            throw new InvalidOperationException($"{cell.Describe()} already belongs to a notebook: remove it there first.");
        cell.Document = this;
        if (FormatMajor == 4 && FormatMinor >= 5 && cell.Id is null) cell.Id = NewCellId();
    }

    /// <summary>A fresh cell id as Jupyter makes them: 8 hex digits, unique in the notebook.</summary>
    private string NewCellId()
    {
        var taken = Cells.Select(cell => cell.Id).ToHashSet();
        string id;
        do id = Guid.NewGuid().ToString("N")[..8]; while (taken.Contains(id));
        return id;
    }

    private NotebookException NotANotebook(string reason) => new($"{SourceName ?? "notebook"}: not a notebook: {reason}");
}
