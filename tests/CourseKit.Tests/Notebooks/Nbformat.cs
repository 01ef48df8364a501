using System.Diagnostics;

namespace CourseKit.Tests.Notebooks;

/// <summary>
/// Checks notebooks with Jupyter's own validator, Debian's <c>python3-nbformat</c> (`.ci/run` installs it):
/// a notebook CourseKit writes must open in Jupyter, VS Code and nbconvert.
/// </summary>
internal static class Nbformat
{
    private const string Python = "/usr/bin/python3";

    private const string Validate =
        "import nbformat,sys; nb=nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT); nbformat.validate(nb)";

    /// <summary>Fails the test with nbformat's message when the notebook at <paramref name="path"/> is not valid.</summary>
    public static void AssertValid(string path)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "-c", Validate, path }) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), "nbformat did not finish within 30 s.");
        Assert.True(process.ExitCode == 0,
            stderr.Contains("No module named 'nbformat'")
                ? "These tests need Jupyter's nbformat: `apt-get install -y python3-nbformat` (as .ci/run does)."
                : $"{path} is not a valid notebook according to nbformat:\n{stderr}{stdout.Result}");
    }
}
