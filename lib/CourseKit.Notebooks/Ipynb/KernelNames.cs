using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>
/// How Polyglot notebooks name the kernel (language) of a cell: <c>csharp</c>, <c>fsharp</c>, <c>markdown</c>, …
/// A cell can choose it with a magic first line such as <c>#!csharp</c> or <c>#!c#</c>.
/// </summary>
internal static class KernelNames
{
    /// <summary>The kernel selectors .NET Interactive knows, alias → kernel name.</summary>
    private static readonly Dictionary<string, string> BuiltIn = new(StringComparer.Ordinal)
    {
        ["csharp"] = "csharp", ["c#"] = "csharp", ["C#"] = "csharp",
        ["fsharp"] = "fsharp", ["f#"] = "fsharp", ["F#"] = "fsharp",
        ["pwsh"] = "pwsh", ["powershell"] = "pwsh",
        ["javascript"] = "javascript", ["js"] = "javascript",
        ["markdown"] = "markdown", ["md"] = "markdown",
        ["html"] = "html", ["sql"] = "sql", ["kql"] = "kql", ["mermaid"] = "mermaid", ["http"] = "http", ["value"] = "value",
    };

    /// <summary>
    /// The kernel chosen by a magic line like <c>#!csharp</c>, or null when <paramref name="line"/> is not one
    /// (other magics such as <c>#!time</c> do not choose a kernel). Besides the built-in names, the kernels the
    /// notebook lists in <c>polyglot_notebook.kernelInfo.items</c> (with their aliases) count.
    /// </summary>
    public static string? FromMagic(string line, JsonObject? notebookMetadata)
    {
        line = line.TrimEnd();
        if (!line.StartsWith("#!", StringComparison.Ordinal)) return null;
        string alias = line[2..];
        if (BuiltIn.TryGetValue(alias, out string? name)) return name;
        foreach (var item in notebookMetadata?["polyglot_notebook"]?["kernelInfo"]?["items"] as JsonArray ?? [])
        {
            string? itemName = JsonAccess.StringAt(item, "name");
            if (itemName == alias || (item?["aliases"] as JsonArray ?? []).Any(a => JsonAccess.IsString(a, out string? s) && s == alias))
                return itemName;
        }
        return null;
    }

    /// <summary>The kernel a Jupyter kernelspec name stands for (<c>.net-csharp</c> → <c>csharp</c>), or null.</summary>
    public static string? FromKernelspec(string? kernelspecName) => kernelspecName switch
    {
        ".net-csharp" => "csharp",
        ".net-fsharp" => "fsharp",
        ".net-pwsh" => "pwsh",
        _ => null,
    };

    /// <summary>The kernel a language name stands for: a known alias (<c>C#</c> → <c>csharp</c>) or the name itself.</summary>
    public static string FromLanguage(string language) => BuiltIn.GetValueOrDefault(language, language);
}
