using System.Diagnostics;
using CourseKit.Cli;
using Xunit.Abstractions;

namespace CourseKit.Tests.Jupyter;

/// <summary>
/// CourseKit's C# kernel driven by Jupyter's own client: <c>kernel_client_check.py</c> (Debian's
/// <c>python3-jupyter-client</c>) installs the kernelspec, starts the kernel through it and checks the protocol,
/// interrupts, stdin, signatures and shutdown, printing one line per check and the startup and round-trip figures.
/// </summary>
public sealed class KernelClientTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task Jupyters_own_client_drives_the_kernel_through_every_check()
    {
        string script = Script("kernel_client_check.py");
        string cli = typeof(CliApp).Assembly.Location;
        string dotnet = CourseKit.Cli.Commands.DotnetHost.Path;
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-u", script, dotnet, cli }) start.ArgumentList.Add(argument);
        start.Environment["COURSEKIT_DLL"] = typeof(Tensor).Assembly.Location;

        using var process = Process.Start(start)!;
        var stdoutRead = process.StandardOutput.ReadToEndAsync();
        var stderrRead = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        bool finished = await process.WaitForExitAsync(limit.Token).ContinueWith(t => t.IsCompletedSuccessfully);
        if (!finished) process.Kill(entireProcessTree: true);
        string stdout = await stdoutRead, stderr = await stderrRead;
        output.WriteLine(stdout);
        output.WriteLine(stderr);

        Assert.True(finished, $"kernel_client_check.py did not finish within 120 s:\n{stdout}");
        Assert.False(stderr.Contains("No module named 'jupyter_client'"),
            "These tests need Jupyter's client: `apt-get install -y python3-jupyter-client` (as .ci/run does).");
        Assert.True(process.ExitCode == 0, $"kernel_client_check.py failed:\n{stdout}\n{stderr}");
    }

    /// <summary>A script beside this file in the source tree (found from the test binaries' folder upwards).</summary>
    internal static string Script(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "Jupyter", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"tests/CourseKit.Tests/Jupyter/{name} not found above {AppContext.BaseDirectory}.");
    }
}
