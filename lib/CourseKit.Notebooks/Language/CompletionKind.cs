using Microsoft.CodeAnalysis.Tags;

namespace CourseKit.Notebooks;

/// <summary>Names what a Roslyn completion item stands for, in the words Jupyter front ends show beside it.</summary>
internal static class CompletionKind
{
    private static readonly Dictionary<string, string> ByTag = new()
    {
        [WellKnownTags.Method] = "method", [WellKnownTags.ExtensionMethod] = "method",
        [WellKnownTags.Property] = "property", [WellKnownTags.Field] = "field", [WellKnownTags.Event] = "event",
        [WellKnownTags.Constant] = "constant", [WellKnownTags.EnumMember] = "enum member",
        [WellKnownTags.Local] = "local", [WellKnownTags.RangeVariable] = "local", [WellKnownTags.Parameter] = "parameter",
        [WellKnownTags.Class] = "class", [WellKnownTags.Structure] = "struct",
        [WellKnownTags.Interface] = "interface", [WellKnownTags.Enum] = "enum", [WellKnownTags.Delegate] = "delegate",
        [WellKnownTags.TypeParameter] = "type parameter", [WellKnownTags.Namespace] = "namespace",
        [WellKnownTags.Keyword] = "keyword", [WellKnownTags.Intrinsic] = "keyword", [WellKnownTags.Snippet] = "snippet",
        [WellKnownTags.Operator] = "operator", [WellKnownTags.Label] = "label",
    };

    /// <summary>The kind the first known tag names, e.g. <c>method</c> for <c>["Method", "Public"]</c>; <c>text</c> otherwise.</summary>
    public static string Of(IEnumerable<string> tags) =>
        tags.Select(tag => ByTag.GetValueOrDefault(tag)).FirstOrDefault(kind => kind is not null) ?? "text";
}
