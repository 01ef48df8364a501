using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.QuickInfo;

namespace CourseKit.Notebooks;

/// <summary>
/// Completion and hover for the cells of a <see cref="ScriptSession"/>, the way an editor offers them: Roslyn's
/// completion and quick-info services over everything the session has run so far (its variables, classes,
/// usings, <c>#r</c>'d assemblies and restored packages) followed by the cell being edited. The kernel answers
/// Jupyter's <c>complete_request</c> and <c>inspect_request</c> with these.
/// </summary>
public sealed class LanguageServices : IDisposable
{
    /// <summary>How many completions get a signature: a long list (Tab on an empty word) would spend its time on names nobody reads.</summary>
    private const int SignedItems = 100;

    private readonly ScriptWorkspace _workspace;

    /// <summary>Language services that follow <paramref name="session"/>: cells it runs become visible to the next request.</summary>
    public LanguageServices(ScriptSession session) => _workspace = new ScriptWorkspace(session);

    /// <summary>How many Roslyn projects were built so far (one per cell run, plus one per change of the session's references).</summary>
    internal int ProjectsCreated => _workspace.ProjectsCreated;

    /// <summary>
    /// Does the one-off work of the first request ahead of time (Roslyn's composition, loading the references,
    /// compiling the cells run so far), which would otherwise make that request take a second or more.
    /// The kernel can start it in the background when it starts.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellation = default)
    {
        await CompleteAsync("Console.", "Console.".Length, cancellation).ConfigureAwait(false);
        await CompleteAsync("Con", "Con".Length, cancellation).ConfigureAwait(false);
        await InspectAsync("Console", "Console".Length, cancellation: cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// The completions at <paramref name="cursorPosition"/> in <paramref name="code"/> that start with the word being
    /// typed there, replacing that word up to the cursor (Jupyter's <c>cursor_start</c> … <c>cursor_end</c>).
    /// </summary>
    /// <param name="code">The whole cell, directives and magic lines included.</param>
    /// <param name="cursorPosition">The cursor, in Unicode code points from the start of <paramref name="code"/>.</param>
    /// <param name="cancellation">Stops the request (the front end sent a newer one).</param>
    public async Task<CompletionResult> CompleteAsync(string code, int cursorPosition, CancellationToken cancellation = default)
    {
        int position = CodePoints.ToUtf16(code, cursorPosition);
        int cursor = CodePoints.FromUtf16(code, position);
        var document = await _workspace.DocumentForAsync(code, cancellation).ConfigureAwait(false);
        if (CompletionService.GetService(document) is not { } service) return new CompletionResult([], cursor, cursor, []);
        var list = await service.GetCompletionsAsync(document, position, cancellationToken: cancellation).ConfigureAwait(false);

        int start = Math.Min(list.Span.Start, position);
        string typed = code[start..position];
        var items = list.ItemsList
            .Where(item => item.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase) && !NeedsUsing(item))
            .OrderBy(item => item.FilterText.StartsWith(typed, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(item => item.SortText, StringComparer.OrdinalIgnoreCase)
            .DistinctBy(item => item.DisplayText)
            .ToList();

        var signatures = await CompletionSignatures.AtAsync(document, start, cancellation).ConfigureAwait(false);
        var infos = items.Select((item, i) => new CompletionItemInfo(item.DisplayText, CompletionKind.Of(item.Tags),
                                                                     i < SignedItems ? signatures.For(item.DisplayText.TrimStart('@')) : null)).ToList();
        return new CompletionResult(infos.Select(i => i.Text).ToList(), CodePoints.FromUtf16(code, start), cursor, infos);
    }

    /// <summary>
    /// The signature and documentation of what is at <paramref name="cursorPosition"/>: the name under or just before
    /// the cursor or, inside a call's parentheses, the method or constructor called.
    /// </summary>
    /// <param name="code">The whole cell.</param>
    /// <param name="cursorPosition">The cursor, in Unicode code points.</param>
    /// <param name="detailLevel">0: signature and summary; 1: every section of the documentation.</param>
    /// <param name="cancellation">Stops the request.</param>
    public async Task<InspectResult> InspectAsync(string code, int cursorPosition, int detailLevel = 0, CancellationToken cancellation = default)
    {
        int position = CodePoints.ToUtf16(code, cursorPosition);
        var document = await _workspace.DocumentForAsync(code, cancellation).ConfigureAwait(false);
        if (QuickInfoService.GetService(document) is not { } service) return InspectResult.NotFound;

        foreach (int at in await CandidatePositionsAsync(document, position, cancellation).ConfigureAwait(false))
        {
            var item = await service.GetQuickInfoAsync(document, at, cancellation).ConfigureAwait(false);
            if (item is not null && HoverText.From(item, detailLevel) is { Found: true } found) return found;
        }
        return InspectResult.NotFound;
    }

    /// <summary>
    /// Where to ask for quick info: at the cursor, just before it (the cursor ends the word), then at the name of
    /// the call whose argument list holds the cursor (<c>display(|</c>, <c>new Conv2d(3, |</c>).
    /// </summary>
    private static async Task<IEnumerable<int>> CandidatePositionsAsync(Document document, int position, CancellationToken cancellation)
    {
        var root = await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
        var token = root!.FindToken(Math.Max(position - 1, 0));
        var call = token.Parent?.AncestorsAndSelf().OfType<ArgumentListSyntax>().FirstOrDefault(a => a.Span.Contains(position - 1))?.Parent switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } => member.Name.SpanStart,
            InvocationExpressionSyntax invocation => invocation.Expression.SpanStart,
            BaseObjectCreationExpressionSyntax creation => creation is ObjectCreationExpressionSyntax named ? named.Type.SpanStart : creation.NewKeyword.SpanStart,
            _ => (int?)null,
        };
        var text = await document.GetTextAsync(cancellation).ConfigureAwait(false);
        bool afterWord = position > 0 && (char.IsLetterOrDigit(text[position - 1]) || text[position - 1] == '_');
        int?[] order = afterWord ? [position - 1, position, call] : [position, position - 1, call];
        return order.OfType<int>().Where(p => p >= 0).Distinct();
    }

    /// <summary>
    /// Whether the item is a type from a namespace the cell does not import (Roslyn offers those with their namespace
    /// and adds the <c>using</c> when chosen): a Jupyter completion inserts only text, which would not compile.
    /// </summary>
    private static bool NeedsUsing(CompletionItem item) => item.IsComplexTextEdit && !string.IsNullOrEmpty(item.InlineDescription);

    /// <summary>Frees the Roslyn workspace.</summary>
    public void Dispose() => _workspace.Dispose();
}
