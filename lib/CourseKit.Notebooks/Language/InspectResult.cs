namespace CourseKit.Notebooks;

/// <summary>The answer to a Jupyter <c>inspect_request</c> (hover): the symbol's signature and documentation.</summary>
/// <param name="Found">Whether the cursor is on something that has a description.</param>
/// <param name="PlainText">Signature, then the XML doc summary, as <c>text/plain</c>.</param>
/// <param name="Markdown">The same as <c>text/markdown</c>: the signature in a C# code block, then the summary.</param>
public sealed record InspectResult(bool Found, string PlainText, string Markdown)
{
    /// <summary>Nothing to show at the cursor.</summary>
    public static InspectResult NotFound { get; } = new(false, "", "");
}
