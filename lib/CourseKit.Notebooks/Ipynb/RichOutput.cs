using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>
/// An output that shows a value in several MIME types (a "MIME bundle") so each frontend picks the richest it
/// can show: <see cref="DisplayDataOutput"/> and <see cref="ExecuteResultOutput"/>.
/// </summary>
public abstract class RichOutput : CellOutput
{
    private protected RichOutput(JsonObject json) : base(json)
    {
        if (json["data"] is not JsonObject data) throw new InvalidDataException($"a {OutputType} output needs an object \"data\"");
        foreach (string mime in data.Select(p => p.Key).ToList())
            if (!IsJsonMime(mime)) MultilineText.Join(data, mime);
        if (json["metadata"] is not JsonObject) json["metadata"] = new JsonObject();
    }

    /// <summary>A new output of <paramref name="outputType"/> showing <paramref name="bundle"/> (MIME type → text).</summary>
    private protected static JsonObject NewJson(string outputType, IReadOnlyDictionary<string, string> bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, text) in bundle) data[mime] = IsJsonMime(mime) ? ParseJsonOrKeep(text) : text;
        return new JsonObject { ["output_type"] = outputType, ["data"] = data, ["metadata"] = new JsonObject() };
    }

    /// <summary>
    /// MIME type → value: a JSON value for <c>application/json</c> and <c>*+json</c> types, otherwise a string
    /// (base64 for binary images). Changing it changes the output.
    /// </summary>
    public JsonObject Data => (JsonObject)Json["data"]!;

    /// <summary>The output's metadata, e.g. <c>{"image/png": {"width": 640}}</c>.</summary>
    public JsonObject Metadata => (JsonObject)Json["metadata"]!;

    /// <summary>
    /// The value shown as <paramref name="mime"/> as text (JSON types as JSON text), or null when the bundle
    /// does not have that type.
    /// </summary>
    public string? GetText(string mime) => Data[mime] switch
    {
        null => null,
        var value when JsonAccess.IsString(value, out string? text) && !IsJsonMime(mime) => text,
        var value => value.ToJsonString(),
    };

    /// <summary>Whether nbformat stores values of <paramref name="mime"/> as JSON rather than text.</summary>
    internal static bool IsJsonMime(string mime) =>
        mime == "application/json" || (mime.StartsWith("application/", StringComparison.Ordinal) && mime.EndsWith("+json", StringComparison.Ordinal));

    /// <summary>Whether files store values of <paramref name="mime"/> as lists of lines (as VS Code does for text and SVG).</summary>
    internal static bool IsLinesMime(string mime) =>
        mime.StartsWith("text/", StringComparison.Ordinal) || mime == "image/svg+xml";

    private static JsonNode? ParseJsonOrKeep(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return text; }
    }
}
