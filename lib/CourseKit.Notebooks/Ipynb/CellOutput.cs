using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>
/// One output of a code cell, a typed view over its nbformat JSON (<c>output_type</c> stream, display_data,
/// execute_result or error). Keys the view does not know are kept and saved unchanged.
/// </summary>
public abstract class CellOutput
{
    /// <summary>Wraps <paramref name="json"/>, whose <c>output_type</c> the subclass has checked.</summary>
    private protected CellOutput(JsonObject json) => Json = json;

    /// <summary>The output's JSON as stored in the notebook (multi-line strings held as one string).</summary>
    internal JsonObject Json { get; }

    /// <summary>The nbformat <c>output_type</c>: <c>stream</c>, <c>display_data</c>, <c>execute_result</c>, <c>error</c>, …</summary>
    public string OutputType => JsonAccess.StringAt(Json, "output_type") ?? "";

    /// <summary>A copy of the output's nbformat JSON.</summary>
    public JsonObject ToJson() => (JsonObject)Json.DeepClone();

    /// <summary>
    /// The typed output for nbformat JSON <paramref name="o"/>, which becomes its storage (a copy when
    /// <paramref name="o"/> already belongs to another JSON tree). Lists of lines become one string and a
    /// <c>transient.display_id</c> moves to <see cref="DisplayDataOutput.DisplayId"/>, since files may not hold it.
    /// Unknown output types are kept as they are.
    /// </summary>
    /// <exception cref="InvalidDataException">The JSON is not a valid output of its type.</exception>
    public static CellOutput FromJson(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return Wrap(o.Parent is null ? o : (JsonObject)o.DeepClone());
    }

    /// <summary>The typed output stored in <paramref name="o"/> itself (see <see cref="FromJson"/>).</summary>
    internal static CellOutput Wrap(JsonObject o) =>
        JsonAccess.StringAt(o, "output_type") switch
        {
            "stream" => new StreamOutput(o),
            "display_data" => new DisplayDataOutput(o),
            "execute_result" => new ExecuteResultOutput(o),
            "error" => new ErrorOutput(o),
            _ => new UnknownOutput(o),
        };

    /// <summary>The string under <paramref name="key"/>, required by the output type.</summary>
    private protected string RequiredString(string key) =>
        JsonAccess.StringAt(Json, key) ?? throw new InvalidDataException($"a {OutputType} output needs a string \"{key}\"");
}
