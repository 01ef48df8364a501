using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>Text a cell wrote to <c>stdout</c> or <c>stderr</c> (<c>Console.Write</c>, <c>Console.Error.Write</c>).</summary>
public sealed class StreamOutput : CellOutput
{
    internal StreamOutput(JsonObject json) : base(json)
    {
        RequiredString("name");
        MultilineText.Join(json, "text");
    }

    /// <summary>A new stream output.</summary>
    /// <param name="name"><c>stdout</c> or <c>stderr</c>.</param>
    /// <param name="text">The text written, line breaks included.</param>
    public StreamOutput(string name, string text)
        : this(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text }) { }

    /// <summary>The stream: <c>stdout</c> or <c>stderr</c>.</summary>
    public string Name
    {
        get => RequiredString("name");
        set => Json["name"] = value;
    }

    /// <summary>The text written, line breaks included.</summary>
    public string Text
    {
        get => RequiredString("text");
        set => Json["text"] = value;
    }
}
