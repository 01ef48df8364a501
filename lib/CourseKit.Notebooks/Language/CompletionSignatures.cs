using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CourseKit.Notebooks;

/// <summary>
/// One-line signatures for completions, e.g. <c>Tensor Conv2d.Forward(Tensor input)</c> or
/// <c>void Console.WriteLine() (+ 17 overloads)</c>. They are looked up by name where the word being completed
/// starts, after the expression before the dot if there is one: a name lookup costs microseconds, where asking
/// Roslyn's completion service to describe each item costs milliseconds.
/// </summary>
internal sealed class CompletionSignatures
{
    private static readonly SymbolDisplayFormat Format = SymbolDisplayFormat.MinimallyQualifiedFormat
        .AddMemberOptions(SymbolDisplayMemberOptions.IncludeContainingType);

    private readonly SemanticModel _model;
    private readonly int _position;
    private readonly INamespaceOrTypeSymbol? _container;
    private readonly bool _instance;

    private CompletionSignatures(SemanticModel model, int position, INamespaceOrTypeSymbol? container, bool instance)
    {
        _model = model;
        _position = position;
        _container = container;
        _instance = instance;
    }

    /// <summary>The signatures of names completed at <paramref name="wordStart"/> in <paramref name="document"/>.</summary>
    public static async Task<CompletionSignatures> AtAsync(Document document, int wordStart, CancellationToken cancellation)
    {
        var model = (await document.GetSemanticModelAsync(cancellation).ConfigureAwait(false))!;
        var before = wordStart > 0 ? model.SyntaxTree.GetRoot(cancellation).FindToken(wordStart - 1) : default;
        var qualifier = before.IsKind(SyntaxKind.DotToken) ? before.Parent switch
        {
            MemberAccessExpressionSyntax member => member.Expression,
            QualifiedNameSyntax name => name.Left,
            _ => null,
        } : null;
        if (qualifier is null) return new(model, wordStart, null, false);

        // Tensor.Ze: the type's static members; conv.W: the members of the value's type (extension methods too).
        if (model.GetSymbolInfo(qualifier, cancellation).Symbol is INamespaceOrTypeSymbol named) return new(model, wordStart, named, false);
        return new(model, wordStart, model.GetTypeInfo(qualifier, cancellation).Type, true);
    }

    /// <summary>The signature of <paramref name="name"/>, with the number of other overloads; null if it names no symbol (keywords).</summary>
    public string? For(string name)
    {
        if (_instance && _container is null) return null;
        var symbols = _instance
            ? _model.LookupSymbols(_position, _container, name, includeReducedExtensionMethods: true)
            : _model.LookupSymbols(_position, _container, name);
        var overridden = symbols.SelectMany(Overridden).ToHashSet(SymbolEqualityComparer.Default);
        var shown = symbols.Where(s => !overridden.Contains(s)).ToList();
        if (shown.Count == 0) return null;
        string signature = shown[0].ToMinimalDisplayString(_model, _position, Format);
        int overloads = shown[0] is IMethodSymbol ? shown.Count - 1 : 0;
        return overloads > 0 ? $"{signature} (+ {overloads} overload{(overloads > 1 ? "s" : "")})" : signature;
    }

    /// <summary>The members <paramref name="symbol"/> overrides, all the way up (Module.Forward for Conv2d.Forward).</summary>
    private static IEnumerable<ISymbol> Overridden(ISymbol symbol)
    {
        for (var up = Base(symbol); up is not null; up = Base(up)) yield return up;

        static ISymbol? Base(ISymbol member) => member switch
        {
            IMethodSymbol method => method.OverriddenMethod,
            IPropertySymbol property => property.OverriddenProperty,
            IEventSymbol e => e.OverriddenEvent,
            _ => null,
        };
    }
}
