using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace CourseKit.Notebooks;

/// <summary>
/// Resolves <c>#r "nuget: …"</c> packages to the assemblies to reference, with their whole dependency closure,
/// by restoring a small generated project with <c>dotnet restore</c> (as .NET Interactive does). The result is
/// cached per set of packages and sources, so a notebook restores once and later runs start at once.
/// </summary>
public sealed class NuGetResolver(string cacheDirectory)
{
    /// <summary>The cache under <c>COURSEKIT_CACHE</c> or <c>~/.cache/coursekit</c>.</summary>
    public static NuGetResolver Default { get; } = new(Path.Combine(
        Environment.GetEnvironmentVariable("COURSEKIT_CACHE") is { Length: > 0 } cache
            ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "coursekit"),
        "nuget"));

    private static string TargetFramework => $"net{Environment.Version.Major}.0";

    /// <summary>The paths of the runtime assemblies of <paramref name="packages"/> and everything they depend on.</summary>
    /// <param name="packages">The packages asked for.</param>
    /// <param name="sources">Extra package sources (<c>#i</c>): feed URLs or local folders, relative to <paramref name="baseDirectory"/>.</param>
    /// <param name="baseDirectory">The notebook's folder.</param>
    /// <exception cref="NotebookException">The restore failed; the message names the package and quotes NuGet's error.</exception>
    public IReadOnlyList<string> Resolve(IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources, string baseDirectory)
    {
        if (packages.Count == 0) return [];
        var fullSources = sources.Select(s => Uri.TryCreate(s, UriKind.Absolute, out var uri) && !uri.IsFile ? s : Path.GetFullPath(s, baseDirectory)).ToList();
        string key = Hash(string.Join('\n', packages.Select(p => p.ToString()).Order().Concat(fullSources).Append(TargetFramework)));
        string folder = Path.Combine(cacheDirectory, key);
        string resolvedList = Path.Combine(folder, "resolved.txt");
        if (File.Exists(resolvedList) && File.ReadAllLines(resolvedList) is var cached && cached.All(File.Exists)) return cached;

        Directory.CreateDirectory(folder);
        var project = new XElement("Project", new XAttribute("Sdk", "Microsoft.NET.Sdk"),
            new XElement("PropertyGroup",
                new XElement("TargetFramework", TargetFramework),
                new XElement("EnableDefaultItems", "false"),
                new XElement("RestoreAdditionalProjectSources", string.Join(';', fullSources))),
            new XElement("ItemGroup", packages.Select(p => new XElement("PackageReference",
                new XAttribute("Include", p.Name), new XAttribute("Version", p.Version ?? "*")))));
        string projectPath = Path.Combine(folder, "packages.csproj");
        File.WriteAllText(projectPath, project.ToString());

        var (exitCode, output) = RunDotnet(folder, "restore", projectPath, "--nologo", "-v", "q");
        if (exitCode != 0)
        {
            var errors = output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Select(l => l.Trim()).Distinct().Take(5);
            throw new NotebookException($"#r \"nuget: {string.Join("\", \"nuget: ", packages)}\": the packages could not be restored.\n{string.Join('\n', errors)}");
        }
        var paths = RuntimeAssemblies(Path.Combine(folder, "obj", "project.assets.json"));
        string temp = resolvedList + ".tmp";
        File.WriteAllLines(temp, paths);
        File.Move(temp, resolvedList, overwrite: true);
        return paths;
    }

    /// <summary>Reads the runtime assemblies of every package from NuGet's <c>project.assets.json</c>.</summary>
    private static List<string> RuntimeAssemblies(string assetsPath)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(assetsPath));
        var root = assets.RootElement;
        string packageFolder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
        var libraries = root.GetProperty("libraries");
        var paths = new List<string>();
        foreach (var target in root.GetProperty("targets").EnumerateObject().First().Value.EnumerateObject())
        {
            if (!target.Value.TryGetProperty("runtime", out var runtime)) continue;
            string libraryPath = libraries.GetProperty(target.Name).GetProperty("path").GetString()!;
            foreach (var file in runtime.EnumerateObject())
                if (!file.Name.EndsWith("/_._"))
                    paths.Add(Path.GetFullPath(Path.Combine(packageFolder, libraryPath, file.Name)));
        }
        return paths;
    }

    private static (int ExitCode, string Output) RunDotnet(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
