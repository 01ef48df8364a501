using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace CourseKit.Bench;

/// <summary>
/// How fast <c>coursekit run</c> starts a notebook: wall time of the whole command (parent process, the
/// notebook's own process, Roslyn's first compile) for a trivial 3-cell notebook, and the cost of each extra
/// cell from a 23-cell one. The command is the ReadyToRun-published tool, as students install it.
/// </summary>
internal static class NotebookBench
{
    public static (double ColdStartSeconds, double PerCellMilliseconds) Run(int repeats)
    {
        string root = RepositoryRoot();
        string folder = Directory.CreateTempSubdirectory("coursekit-bench-notebooks-").FullName;
        try
        {
            string tool = Publish(root, Path.Combine(folder, "tool"));
            string small = Write(folder, "three.ipynb", 3), large = Write(folder, "twenty-three.ipynb", 23);
            Time(tool, small, folder);                                            // the first run warms the disk cache
            var smallTimes = Enumerable.Range(0, repeats).Select(_ => Time(tool, small, folder)).Order().ToList();
            var largeTimes = Enumerable.Range(0, repeats).Select(_ => Time(tool, large, folder)).Order().ToList();
            double cold = smallTimes[repeats / 2], perCell = (largeTimes[repeats / 2] - cold) / 20 * 1000;
            Console.WriteLine($"notebook run, 3 trivial cells: median {cold:0.00} s of [{string.Join(", ", smallTimes.Select(t => t.ToString("0.00")))}]");
            Console.WriteLine($"notebook run, 23 trivial cells: median {largeTimes[repeats / 2]:0.00} s → {perCell:0} ms per extra cell");
            return (cold, perCell);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>Publishes the command-line tool ReadyToRun for this machine and returns its executable.</summary>
    internal static string Publish(string root, string output)
    {
        string rid = RuntimeInformation.RuntimeIdentifier;
        var start = new ProcessStartInfo("dotnet", ["publish", Path.Combine(root, "lib", "CourseKit.Cli"), "-c", "Release", "-r", rid,
                                                    "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output, "--nologo", "-v", "q"])
        { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("dotnet publish of lib/CourseKit.Cli failed.");
        return Path.Combine(output, OperatingSystem.IsWindows() ? "CourseKit.Cli.exe" : "CourseKit.Cli");
    }

    private static double Time(string tool, string notebook, string folder)
    {
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo(tool, ["run", notebook, "--out", Path.Combine(folder, "out")]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"coursekit run {notebook} failed.");
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>A C# notebook of <paramref name="cells"/> cells, each <c>var xi = i + 1;</c> then <c>xi</c>.</summary>
    private static string Write(string folder, string name, int cells)
    {
        var list = new JsonArray();
        for (int i = 0; i < cells; i++)
            list.Add(new JsonObject
            {
                ["cell_type"] = "code", ["id"] = $"cell{i}", ["execution_count"] = null, ["outputs"] = new JsonArray(),
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
                ["source"] = $"var x{i} = {i} + 1;\nx{i}",
            });
        var notebook = new JsonObject
        {
            ["cells"] = list, ["nbformat"] = 4, ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["language"] = "C#", ["display_name"] = ".NET (C#)" } },
        };
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    internal static string RepositoryRoot() =>
        DataDirectory.RepositoryRoot ?? throw new InvalidOperationException("Run the bench from inside the CourseKit repository.");
}
