using System.Diagnostics;

namespace CourseKit.Tests.Browser;

/// <summary>
/// Opens a local HTML file in Debian's headless Chromium with networking off and returns the DOM
/// after scripts ran — to check that charts really draw offline. `.ci/run` installs Chromium.
/// </summary>
internal static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    public static string DumpDom(string htmlPath)
    {
        Assert.True(File.Exists(Executable),
            $"Headless Chromium is needed for this test: install it with `apt-get install -y chromium` (as .ci/run does); {Executable} was not found.");
        var profile = Directory.CreateTempSubdirectory("coursekit-chromium-");
        try
        {
            var psi = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",          // no network: any fetch fails
                $"--user-data-dir={profile.FullName}", "--virtual-time-budget=10000", "--dump-dom",
                new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri,
            }) psi.ArgumentList.Add(arg);
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string dom = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(60_000), "Chromium did not finish within 60 s.");
            Assert.True(dom.Length > 0, "Chromium printed no DOM: " + stderr.Result);
            return dom;
        }
        finally { profile.Delete(recursive: true); }
    }
}
