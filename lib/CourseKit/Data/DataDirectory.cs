namespace CourseKit;

/// <summary>One folder that is searched for datasets, and why it is on the list.</summary>
/// <param name="Path">The folder (absolute).</param>
/// <param name="Origin">Where it came from, e.g. <c>COURSEKIT_DATA</c> or <c>the per-user cache</c>.</param>
public sealed record DataRoot(string Path, string Origin);

/// <summary>
/// Where datasets are looked for. Each <em>data root</em> holds datasets in their conventional folders
/// (<c>mnist/</c>, <c>fashion-mnist/</c>, <c>cifar-10-batches-bin/</c>) and the small samples under
/// <c>samples/…</c>. The roots are searched in this order, and the first that has the dataset wins:
/// <list type="number">
/// <item>the <c>dataDir</c> argument of a loader — when given, it is the only place searched;</item>
/// <item>the environment variable <c>COURSEKIT_DATA</c> (CI sets it to <c>../shared/datasets</c>);</item>
/// <item>the repository's <c>datasets/</c> folder, found by walking up from the current directory and from
/// the library's location to a folder holding both <c>CourseKit.sln</c> and <c>datasets/</c>;</item>
/// <item>the per-user cache, where <c>coursekit data fetch</c> downloads to (<see cref="UserCache"/>).</item>
/// </list>
/// </summary>
public static class DataDirectory
{
    /// <summary>The environment variable naming a data root searched before the repository and the cache.</summary>
    public const string EnvironmentVariable = "COURSEKIT_DATA";

    /// <summary>The environment variable that moves the per-user cache (downloads and the record of verified files).</summary>
    public const string CacheEnvironmentVariable = "COURSEKIT_CACHE";

    /// <summary>
    /// The per-user cache folder: <c>COURSEKIT_CACHE</c> when set; otherwise <c>%LOCALAPPDATA%\CourseKit</c> on
    /// Windows and <c>$XDG_CACHE_HOME/coursekit</c> (default <c>~/.cache/coursekit</c>) on Linux and macOS.
    /// </summary>
    public static string CacheRoot
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable(CacheEnvironmentVariable);
            if (!string.IsNullOrEmpty(overridden)) return Path.GetFullPath(overridden);
            if (OperatingSystem.IsWindows())
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "CourseKit");
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var baseDir = !string.IsNullOrEmpty(xdg) ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(baseDir, "coursekit");
        }
    }

    /// <summary>The data root inside the per-user cache (<c>…/datasets</c>), where downloads go.</summary>
    public static string UserCache => Path.Combine(CacheRoot, "datasets");

    /// <summary>The repository root (the folder with <c>CourseKit.sln</c> and <c>datasets/</c>), or null outside the repository.</summary>
    public static string? RepositoryRoot
    {
        get
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Path.GetDirectoryName(typeof(DataDirectory).Assembly.Location) })
                for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "CourseKit.sln")) && Directory.Exists(Path.Combine(dir.FullName, "datasets")))
                        return dir.FullName;
            return null;
        }
    }

    /// <summary>
    /// The data roots to search, in order. With <paramref name="dataDir"/> that folder alone; otherwise
    /// <c>COURSEKIT_DATA</c> (if set), the repository's <c>datasets/</c> (if found) and the per-user cache.
    /// A relative <c>COURSEKIT_DATA</c> is taken from the current directory, or else from the repository root.
    /// </summary>
    public static IReadOnlyList<DataRoot> SearchOrder(string? dataDir = null)
    {
        if (dataDir is not null) return [new DataRoot(Path.GetFullPath(dataDir), "the dataDir argument")];
        var roots = new List<DataRoot>();
        var repo = RepositoryRoot;
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            var path = Path.GetFullPath(fromEnvironment);
            if (!Directory.Exists(path) && !Path.IsPathRooted(fromEnvironment) && repo is not null)
                path = Path.GetFullPath(Path.Combine(repo, fromEnvironment));
            roots.Add(new DataRoot(path, EnvironmentVariable));
        }
        if (repo is not null) roots.Add(new DataRoot(Path.Combine(repo, "datasets"), "the repository's datasets/ folder"));
        roots.Add(new DataRoot(UserCache, "the per-user cache"));
        return roots;
    }

    /// <summary>
    /// The first folder, in search order, for which <paramref name="isPresent"/> holds: <c>root/folder</c> for each
    /// root (with <c>samples/</c> in between for <paramref name="sample"/>), and for an explicit
    /// <paramref name="dataDir"/> also that folder itself, so it may point straight at the dataset.
    /// </summary>
    /// <param name="dataset">The dataset's display name, for the error message (e.g. <c>MNIST (train)</c>).</param>
    /// <param name="folder">The conventional folder name, e.g. <c>mnist</c>.</param>
    /// <param name="isPresent">Whether a candidate folder holds the files needed.</param>
    /// <param name="lookingFor">What <paramref name="isPresent"/> looks for, for the error message.</param>
    /// <param name="dataDir">The loader's dataDir argument.</param>
    /// <param name="sample">Look in <c>samples/</c>.</param>
    /// <param name="fetchName">The name for <c>coursekit data fetch</c>, or null when there is nothing to download (samples).</param>
    /// <exception cref="DatasetNotFoundException">No candidate holds the dataset; the message lists every place searched.</exception>
    internal static string Locate(string dataset, string folder, Func<string, bool> isPresent, string lookingFor,
                                  string? dataDir, bool sample, string? fetchName)
    {
        var relative = sample ? Path.Combine("samples", folder) : folder;
        var searched = new List<string>();
        foreach (var root in SearchOrder(dataDir))
        {
            string[] candidates = dataDir is null ? [Path.Combine(root.Path, relative)] : [Path.Combine(root.Path, relative), root.Path];
            foreach (var candidate in candidates)
            {
                if (isPresent(candidate)) return candidate;
                searched.Add($"{candidate}  ({root.Origin})");
            }
        }
        throw new DatasetNotFoundException(dataset, lookingFor, searched, HowToGet(folder, dataDir, sample, fetchName));
    }

    private static string HowToGet(string folder, string? dataDir, bool sample, string? fetchName)
    {
        if (sample) return "The samples ship with the repository under datasets/samples/: run from inside the repository, or pass dataDir.";
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var envNote = dataDir is null && string.IsNullOrEmpty(env) ? $" ({EnvironmentVariable} is not set.)" : "";
        var fetch = fetchName is null ? "" : $"Run `coursekit data fetch {fetchName}` to download it into the per-user cache, or ";
        return $"{fetch}set {EnvironmentVariable} to a folder that contains {folder}/.{envNote}";
    }
}
