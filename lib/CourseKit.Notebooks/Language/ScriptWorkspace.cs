using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Text;

namespace CourseKit.Notebooks;

/// <summary>
/// The Roslyn workspace the language services ask: one submission project per cell the session has run, each
/// following the one before exactly as the session's own submissions do (so a cell run twice, or a variable
/// declared again, shadows the earlier one instead of clashing with it), and a working project after them whose
/// single document is the cell being edited. It grows with the session: a new cell adds one project, and a
/// request only replaces the working document's text, so Roslyn reuses everything it compiled before.
/// </summary>
internal sealed class ScriptWorkspace : IDisposable
{
    private readonly ScriptSession _session;
    private readonly AdhocWorkspace _workspace = new();
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly List<Cell> _cells = [];
    private ScriptOptions? _workingOptions;
    private IReadOnlyList<MetadataReference> _workingReferences = [];
    private IReadOnlyList<string> _workingTargets = [];
    private DocumentId? _document;

    public ScriptWorkspace(ScriptSession session) => _session = session;

    /// <summary>How many projects were created so far: one per cell plus one per rebuild of the working project.</summary>
    internal int ProjectsCreated { get; private set; }

    /// <summary>The working document holding <paramref name="code"/> (directive lines blanked, offsets unchanged).</summary>
    public async Task<Document> DocumentForAsync(string code, CancellationToken cancellation)
    {
        string text = DirectiveLines.Blank(code, out var targets);
        await _lock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var solution = _workspace.CurrentSolution;
            bool cellsChanged = AddNewCells(ref solution);
            var options = _session.Options;
            if (cellsChanged || _document is null || !ReferenceEquals(options, _workingOptions))
            {
                solution = AddWorkingProject(solution, options);
                _workingTargets = [];
            }
            if (!targets.SequenceEqual(_workingTargets))
            {
                var references = _workingReferences.Concat(Resolve(targets, options)).Distinct().ToList();
                solution = solution.WithProjectMetadataReferences(_document!.ProjectId, references);
                _workingTargets = targets;
            }
            solution = solution.WithDocumentText(_document!, SourceText.From(text));
            if (!_workspace.TryApplyChanges(solution)) throw new InvalidOperationException("The language services' workspace changed underneath them.");
            return _workspace.CurrentSolution.GetDocument(_document!)!;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Adds a submission project for each cell the session ran since the last request; true if there were any.</summary>
    private bool AddNewCells(ref Solution solution)
    {
        var chain = new List<Script>();
        for (var script = _session.LastSubmission; script is not null; script = script.Previous) chain.Add(script);
        chain.Reverse();

        bool known = _cells.Count <= chain.Count && _cells.Select((c, i) => ReferenceEquals(c.Script, chain[i])).All(same => same);
        if (!known)
        {
            foreach (var cell in _cells) solution = solution.RemoveProject(cell.Project);
            _cells.Clear();
        }
        if (_cells.Count == chain.Count) return !known;

        foreach (var script in chain.Skip(_cells.Count))
        {
            var compilation = script.GetCompilation();
            var earlier = _cells.LastOrDefault();
            var references = DocumentedReferences.For((earlier?.References ?? []).Concat(compilation.References));
            var project = AddSubmission(ref solution, (CSharpCompilationOptions)compilation.Options, references, earlier?.Project);
            string code = DirectiveLines.Blank(script.Code, out _);
            solution = solution.AddDocument(DocumentId.CreateNewId(project), $"cell {_cells.Count + 1}.csx", SourceText.From(code));
            _cells.Add(new Cell(script, project, references));
        }
        return true;
    }

    /// <summary>Replaces the working project with one that follows the last cell and compiles with the session's current options.</summary>
    private Solution AddWorkingProject(Solution solution, ScriptOptions options)
    {
        if (_document is not null) solution = solution.RemoveProject(_document.ProjectId);
        var last = _session.LastSubmission;
        var next = (last is null ? CSharpScript.Create("", options) : last.ContinueWith("", options)).GetCompilation();
        var earlier = _cells.LastOrDefault();
        _workingReferences = DocumentedReferences.For((earlier?.References ?? []).Concat(next.ExternalReferences));
        var project = AddSubmission(ref solution, (CSharpCompilationOptions)next.Options, _workingReferences, earlier?.Project);
        _document = DocumentId.CreateNewId(project);
        _workingOptions = options;
        return solution.AddDocument(_document, "cell.csx", SourceText.From(""));
    }

    /// <summary>
    /// A project compiled as a script submission following <paramref name="previous"/>. The <c>#r</c> lines of its
    /// code are blanked and their assemblies are in <paramref name="references"/>, so it needs no reference resolver.
    /// </summary>
    private ProjectId AddSubmission(ref Solution solution, CSharpCompilationOptions options, IReadOnlyList<MetadataReference> references, ProjectId? previous)
    {
        var id = ProjectId.CreateNewId();
        string name = $"Submission#{ProjectsCreated++}";
        var project = ProjectInfo.Create(id, VersionStamp.Create(), name, name, LanguageNames.CSharp,
            compilationOptions: options.WithMetadataReferenceResolver(null),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Parse, SourceCodeKind.Script),
            metadataReferences: references,
            projectReferences: previous is null ? [] : [new ProjectReference(previous)],
            isSubmission: true);
        solution = solution.AddProject(project);
        return id;
    }

    /// <summary>
    /// The assemblies the edited cell's <c>#r "path.dll"</c> lines name, resolved as the session will resolve them
    /// (relative paths against its working directory); packages and names that do not resolve are skipped.
    /// </summary>
    private IEnumerable<MetadataReference> Resolve(IReadOnlyList<string> targets, ScriptOptions options)
    {
        if (options.MetadataResolver is not { } resolver) yield break;
        foreach (string target in targets)
        {
            if (target.TrimStart().StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)) continue;
            string local = Path.GetFullPath(target, _session.WorkingDirectory);
            foreach (var reference in resolver.ResolveReference(File.Exists(local) ? local : target, baseFilePath: null, MetadataReferenceProperties.Assembly))
                if (DocumentedReferences.Documented(reference) is { } documented) yield return documented;
        }
    }

    /// <summary>A cell the session ran, the project that stands for it, and the references it compiled with (its predecessors' too).</summary>
    private sealed record Cell(Script Script, ProjectId Project, IReadOnlyList<MetadataReference> References);

    /// <summary>Frees the workspace.</summary>
    public void Dispose()
    {
        _workspace.Dispose();
        _lock.Dispose();
    }
}
