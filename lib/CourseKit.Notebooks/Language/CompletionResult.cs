namespace CourseKit.Notebooks;

/// <summary>
/// The answer to a Jupyter <c>complete_request</c>: the texts that may replace the code between
/// <see cref="CursorStart"/> and <see cref="CursorEnd"/> (offsets in Unicode code points, as Jupyter counts them).
/// </summary>
/// <param name="Matches">The completions, best first (Jupyter's <c>matches</c>).</param>
/// <param name="CursorStart">Where the replaced text starts: the start of the word being typed.</param>
/// <param name="CursorEnd">Where it ends: the cursor.</param>
/// <param name="Items">The same completions with their kind and signature, for <c>metadata._jupyter_types_experimental</c>.</param>
public sealed record CompletionResult(IReadOnlyList<string> Matches, int CursorStart, int CursorEnd, IReadOnlyList<CompletionItemInfo> Items);
