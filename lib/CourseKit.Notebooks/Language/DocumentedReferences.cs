using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace CourseKit.Notebooks;

/// <summary>
/// The session's assembly references remade for the language services, each reading the XML documentation
/// beside its assembly (CourseKit.xml beside CourseKit.dll), so hovers and completion show the doc comments.
/// The runtime's own assemblies ship without documentation, so they are swapped for the SDK's reference pack
/// (Microsoft.NETCore.App.Ref), whose assemblies have it, when the pack is installed.
/// </summary>
internal static class DocumentedReferences
{
    private static readonly ConcurrentDictionary<(string Path, DateTime Written, MetadataReferenceProperties Properties), PortableExecutableReference> Cache = new();
    private static readonly string RuntimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
    private static readonly Lazy<IReadOnlyList<MetadataReference>> ReferencePack = new(LoadReferencePack);

    /// <summary>The reference pack (when installed) and <paramref name="references"/> with documentation, without duplicates.</summary>
    public static IReadOnlyList<MetadataReference> For(IEnumerable<MetadataReference> references) =>
        ReferencePack.Value.Concat(references.Select(Documented).OfType<MetadataReference>()).Distinct().ToList();

    /// <summary>The reference remade to read its XML documentation; null for a runtime assembly the reference pack stands in for.</summary>
    public static MetadataReference? Documented(MetadataReference reference) => reference switch
    {
        PortableExecutableReference { FilePath: { } path } when ReferencePack.Value.Count > 0 && Path.GetDirectoryName(path) == RuntimeDirectory => null,
        PortableExecutableReference { FilePath: { } path } file => WithDocumentation(path, file.Properties),
        _ => reference,
    };

    /// <summary>A reference to the assembly at <paramref name="path"/> reading <c>name.xml</c> beside it, if there is one.</summary>
    private static PortableExecutableReference WithDocumentation(string path, MetadataReferenceProperties properties) =>
        Cache.GetOrAdd((path, File.GetLastWriteTimeUtc(path), properties), key =>
        {
            string xml = Path.ChangeExtension(key.Path, ".xml");
            var documentation = File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null;
            return MetadataReference.CreateFromFile(key.Path, key.Properties, documentation);
        });

    /// <summary>
    /// The reference assemblies of the running runtime's version, e.g.
    /// <c>dotnet/packs/Microsoft.NETCore.App.Ref/10.0.2/ref/net10.0</c>; empty when the SDK pack is not there.
    /// </summary>
    private static IReadOnlyList<MetadataReference> LoadReferencePack()
    {
        var runtime = Environment.Version;
        string packs = Path.GetFullPath(Path.Combine(RuntimeDirectory, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref"));
        if (!Directory.Exists(packs)) return [];
        string? folder = Directory.GetDirectories(packs)
            .Select(d => (Folder: d, Version: Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : null))
            .Where(p => p.Version is { } v && v.Major == runtime.Major && v.Minor == runtime.Minor)
            .OrderByDescending(p => p.Version)
            .Select(p => Path.Combine(p.Folder, "ref", $"net{runtime.Major}.{runtime.Minor}"))
            .FirstOrDefault(Directory.Exists);
        if (folder is null) return [];
        return Directory.GetFiles(folder, "*.dll").Order(StringComparer.Ordinal)
            .Select(dll => (MetadataReference)WithDocumentation(dll, MetadataReferenceProperties.Assembly)).ToList();
    }
}
