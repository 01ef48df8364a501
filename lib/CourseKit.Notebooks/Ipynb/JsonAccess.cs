using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>Small readers for loosely typed JSON: a value that is absent or of another type reads as null.</summary>
internal static class JsonAccess
{
    /// <summary>Whether <paramref name="node"/> is a JSON string, and its text.</summary>
    public static bool IsString(JsonNode? node, [NotNullWhen(true)] out string? text)
    {
        text = null;
        return node is JsonValue value && value.TryGetValue(out text);
    }

    /// <summary>The string at <paramref name="key"/> of <paramref name="node"/>, or null.</summary>
    public static string? StringAt(JsonNode? node, string key) =>
        node is JsonObject obj && IsString(obj[key], out string? text) ? text : null;
}
