using System.Diagnostics;

namespace CourseKit.Bench;

/// <summary>
/// CourseKit's Jupyter kernel timed by Jupyter's own client: start to first <c>idle</c>, and the median
/// round trip of executing <c>1+1</c>. Runs the test suite's <c>kernel_client_check.py</c> (Debian's
/// python3-jupyter-client) against the ReadyToRun-published tool and prints the figures it measured.
/// </summary>
internal static class KernelBench
{
    public static void Run()
    {
        string root = NotebookBench.RepositoryRoot();
        string folder = Directory.CreateTempSubdirectory("coursekit-bench-kernel-").FullName;
        try
        {
            string tool = NotebookBench.Publish(root, Path.Combine(folder, "tool"));
            var start = new ProcessStartInfo("/usr/bin/python3", ["-u", Path.Combine(root, "tests", "CourseKit.Tests", "Jupyter", "kernel_client_check.py"), tool])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            foreach (string line in output.Split('\n').Where(l => l.StartsWith("figure: ")))
                Console.WriteLine("kernel " + line["figure: ".Length..]);
            if (process.ExitCode != 0) Console.WriteLine($"kernel checks failed:\n{output}\n{errors.Result}");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
