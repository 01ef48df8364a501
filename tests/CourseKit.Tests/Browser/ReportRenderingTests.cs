using CourseKit.Cli;

namespace CourseKit.Tests.Browser;

[Collection("Data")]
public class ReportRenderingTests
{
    [Fact]
    public void The_training_report_draws_its_charts_offline_in_headless_Chromium()
    {
        var dir = Directory.CreateTempSubdirectory("coursekit-report-");
        try
        {
            string report = Path.Combine(dir.FullName, "report.html");
            Assert.Equal(0, CliApp.Build().Parse(["train", "mnist", "--sample", "--model", "slide", "--epochs", "1", "--out", report]).Invoke());

            string dom = HeadlessChromium.DumpDom(report);

            int drawn = Count(dom, "class=\"main-svg\"");                     // plotly.js replaces each div with SVG when it draws
            Assert.True(drawn >= 4, $"expected the loss, accuracy, confusion-matrix and prediction charts drawn as SVG; found {drawn} SVG roots");
            Assert.Contains("class=\"heatmaplayer", dom);                      // the confusion matrix
            Assert.Contains("class=\"scatterlayer", dom);                      // the curves
        }
        finally { dir.Delete(recursive: true); }
    }

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
