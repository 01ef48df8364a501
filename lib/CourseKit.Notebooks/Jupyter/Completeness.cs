using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// Answers <c>is_complete_request</c> (console frontends ask it when Enter is pressed): whether the code is a
/// whole submission, needs more lines (an open brace, a statement without its semicolon) or cannot be fixed by
/// adding lines.
/// </summary>
public static class Completeness
{
    private static readonly CSharpParseOptions Script =
        CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary><c>complete</c>, <c>incomplete</c> or <c>invalid</c>.</summary>
    public static string Check(string code)
    {
        // The kernel's directives (#!time, #r "nuget: …") are not C#: take them out, as the session does before compiling.
        var (csharp, _) = CellMagic.Strip(code, out string? otherKernel);
        if (otherKernel is not null) return "invalid";
        Directives directives;
        try { directives = Directives.Parse(csharp, "cell"); }
        catch (NotebookException) { return "invalid"; }
        var tree = SyntaxFactory.ParseSyntaxTree(directives.Code, Script);
        if (!SyntaxFactory.IsCompleteSubmission(tree)) return "incomplete";
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? "invalid" : "complete";
    }
}
