using Microsoft.DotNet.Interactive.Formatting;

namespace CourseKit.Notebooks;

/// <summary>
/// Formats a value for display the way the .NET Interactive kernel does: once per MIME type that
/// <see cref="Formatter.GetPreferredMimeTypesFor"/> prefers for its type (HTML for most objects, plain text
/// for strings), plus <c>text/plain</c> so every frontend has something to show.
/// </summary>
public static class MimeBundle
{
    /// <summary>The MIME bundle of <paramref name="value"/>, in the given types or the preferred ones.</summary>
    public static IReadOnlyDictionary<string, string> From(object? value, IReadOnlyCollection<string>? mimeTypes = null)
    {
        var types = mimeTypes is { Count: > 0 }
            ? mimeTypes.ToList()
            : Formatter.GetPreferredMimeTypesFor(value?.GetType()).Append(PlainTextFormatter.MimeType).Distinct().ToList();
        var bundle = new Dictionary<string, string>();
        foreach (string type in types) bundle[type] = value.ToDisplayString(type);
        return bundle;
    }
}
