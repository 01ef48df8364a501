using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// The kernelspec through which Jupyter (VS Code, JupyterLab, <c>jupyter kernelspec list</c>, nbconvert) finds
/// CourseKit's kernel: a folder <c>kernels/NAME</c> with <c>kernel.json</c> (the command line that starts the
/// kernel, its display name, language and interrupt mode) and a logo. The default name, <c>.net-csharp</c>, is
/// the one the course notebooks (and every Polyglot C# notebook) name in their metadata. A kernelspec that is
/// not CourseKit's (e.g. .NET Interactive's) is never replaced or removed without <c>force</c>.
/// </summary>
public static class KernelSpec
{
    /// <summary>The kernelspec name Polyglot C# notebooks ask for.</summary>
    public const string DefaultName = ".net-csharp";

    /// <summary>What Jupyter shows in its kernel pickers.</summary>
    public const string DisplayName = ".NET (C#) — CourseKit";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The user's Jupyter kernels folder: <c>$JUPYTER_DATA_DIR/kernels</c> when set, else on Linux
    /// <c>~/.local/share/jupyter/kernels</c> (or under <c>$XDG_DATA_HOME</c>), on macOS
    /// <c>~/Library/Jupyter/kernels</c>, on Windows <c>%APPDATA%\jupyter\kernels</c>.
    /// </summary>
    public static string UserKernelsFolder()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } data) return Path.Combine(data, "kernels");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter", "kernels");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter", "kernels");
        string xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".local", "share");
        return Path.Combine(xdg, "jupyter", "kernels");
    }

    /// <summary>The kernels folder of an environment prefix: <c>PREFIX/share/jupyter/kernels</c>.</summary>
    public static string PrefixKernelsFolder(string prefix) => Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");

    /// <summary>The <c>kernel.json</c> for a kernel started by <paramref name="command"/> followed by <c>kernel -f {connection_file}</c>.</summary>
    public static JsonObject KernelJson(IEnumerable<string> command, string version) => new()
    {
        ["argv"] = new JsonArray([.. command.Concat(["kernel", "-f", "{connection_file}"]).Select(a => (JsonNode)JsonValue.Create(a)!)]),
        ["display_name"] = DisplayName,
        ["language"] = "C#",
        ["interrupt_mode"] = "message",
        ["metadata"] = new JsonObject { ["coursekit"] = new JsonObject { ["version"] = version } },
    };

    /// <summary>
    /// Writes the kernelspec <paramref name="name"/> into <paramref name="kernelsFolder"/> and returns its folder.
    /// An existing CourseKit kernelspec is updated; any other is replaced only with <paramref name="force"/>.
    /// </summary>
    /// <exception cref="NotebookException">The name is taken by another kernel and <paramref name="force"/> is false.</exception>
    public static string Install(string kernelsFolder, string name, JsonObject kernelJson, byte[] logoPng, bool force)
    {
        string folder = Folder(kernelsFolder, name);
        if (Directory.Exists(folder) && !IsCourseKits(folder))
        {
            if (!force)
                throw new NotebookException($"{folder} holds a kernelspec \"{name}\" that is not CourseKit's ({Describe(folder)}); " +
                                            "give --force to replace it, or --name to install CourseKit's under another name.");
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "kernel.json"), kernelJson.ToJsonString(Indented) + "\n");
        File.WriteAllBytes(Path.Combine(folder, "logo-64x64.png"), logoPng);
        return folder;
    }

    /// <summary>Removes CourseKit's kernelspec <paramref name="name"/> and returns its folder; null when there is none.</summary>
    /// <exception cref="NotebookException">The kernelspec of that name is not CourseKit's.</exception>
    public static string? Uninstall(string kernelsFolder, string name)
    {
        string folder = Folder(kernelsFolder, name);
        if (!Directory.Exists(folder)) return null;
        if (!IsCourseKits(folder))
            throw new NotebookException($"{folder} holds a kernelspec \"{name}\" that is not CourseKit's ({Describe(folder)}); CourseKit leaves it alone.");
        Directory.Delete(folder, recursive: true);
        return folder;
    }

    /// <summary>Whether the kernelspec in <paramref name="folder"/> is CourseKit's: its kernel.json has <c>metadata.coursekit</c>.</summary>
    public static bool IsCourseKits(string folder)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))?["metadata"]?["coursekit"] is JsonObject;
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException) { return false; }
    }

    private static string Folder(string kernelsFolder, string name)
    {
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')))
            throw new NotebookException($"\"{name}\" is not a valid kernelspec name: use letters, digits, '.', '-' and '_'.");
        return Path.Combine(kernelsFolder, name);
    }

    /// <summary>e.g. <c>display name ".NET (C#)", started by dotnet-interactive</c>.</summary>
    private static string Describe(string folder)
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")));
            string display = (string?)json?["display_name"] ?? "no display name";
            string program = (json?["argv"] as JsonArray)?.FirstOrDefault()?.GetValue<string>() is { } first ? Path.GetFileName(first) : "no argv";
            return $"display name \"{display}\", started by {program}";
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException) { return "no readable kernel.json"; }
    }
}
