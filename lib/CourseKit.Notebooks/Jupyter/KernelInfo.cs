using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>The <c>kernel_info_reply</c>: protocol version, implementation, the language for the editor and the banner.</summary>
internal static class KernelInfo
{
    /// <summary>The reply's content for CourseKit <paramref name="version"/>.</summary>
    public static JsonObject Content(string version)
    {
        string csharp = LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString();
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = JupyterMessage.ProtocolVersion,
            ["implementation"] = "coursekit",
            ["implementation_version"] = version,
            ["language_info"] = new JsonObject
            {
                ["name"] = "C#",
                ["version"] = csharp,
                ["mimetype"] = "text/x-csharp",
                ["file_extension"] = ".cs",
                ["pygments_lexer"] = "csharp",
                ["codemirror_mode"] = "text/x-csharp",
            },
            ["banner"] = $"CourseKit C# kernel {version} — C# {csharp} on .NET {Environment.Version} (Roslyn scripting). " +
                         "display(value) shows a value, Console.ReadLine() asks for input, interrupt stops a cell.",
            ["help_links"] = new JsonArray(
                new JsonObject { ["text"] = "C# documentation", ["url"] = "https://learn.microsoft.com/dotnet/csharp/" },
                new JsonObject { ["text"] = ".NET API browser", ["url"] = "https://learn.microsoft.com/dotnet/api/" }),
        };
    }
}
