using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>An output of a type this model does not know; it is saved exactly as it was read.</summary>
public sealed class UnknownOutput : CellOutput
{
    internal UnknownOutput(JsonObject json) : base(json) { }
}
