using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>A value shown with <c>display(…)</c>: a MIME bundle that a later update may replace in place.</summary>
public sealed class DisplayDataOutput : RichOutput
{
    internal DisplayDataOutput(JsonObject json) : base(json)
    {
        // nbformat forbids "transient" in files: keep the display id in memory only.
        DisplayId = JsonAccess.StringAt(json["transient"], "display_id");
        json.Remove("transient");
    }

    /// <summary>A new output showing <paramref name="bundle"/> (MIME type → text; JSON types are parsed).</summary>
    /// <param name="bundle">The value in each MIME type, e.g. <c>text/html</c> and <c>text/plain</c>.</param>
    /// <param name="displayId">The id a later update finds this output by; never saved to the file.</param>
    public DisplayDataOutput(IReadOnlyDictionary<string, string> bundle, string? displayId = null)
        : this(NewJson("display_data", bundle)) => DisplayId = displayId;

    /// <summary>A new output showing <paramref name="html"/>.</summary>
    public static DisplayDataOutput Html(string html) => new(new Dictionary<string, string> { ["text/html"] = html });

    /// <summary>A new output showing <paramref name="text"/> as plain text.</summary>
    public static DisplayDataOutput Text(string text) => new(new Dictionary<string, string> { ["text/plain"] = text });

    /// <summary>
    /// The id that <c>update_display_data</c> messages use to replace this output (nbformat's
    /// <c>transient.display_id</c>); kept in memory only, never written to the file.
    /// </summary>
    public string? DisplayId { get; set; }
}
