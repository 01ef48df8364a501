using CourseKit.Notebooks;
using CourseKit.Tests.Browser;

namespace CourseKit.Tests.Notebooks;

/// <summary>
/// Every notebook the kit ships — lectures, student exercises and instructor solutions — runs headless from
/// top to bottom without an error, and what the engine writes is a valid notebook. A notebook with a
/// <c>fast</c> parameter runs in its fast mode (fewer epochs and images, every cell still runs).
/// </summary>
public sealed class AllNotebooksTests
{
    private static readonly string Root = Repository.Root;

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (string folder in new[] { "notebooks", "exercises", "solutions" })
            if (Directory.Exists(Path.Combine(Root, folder)))
                foreach (string path in Directory.GetFiles(Path.Combine(Root, folder), "*.ipynb").Order())
                    data.Add(Path.GetRelativePath(Root, path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_runs_without_an_error_and_saves_as_valid_nbformat(string relativePath)
    {
        string path = Path.Combine(Root, relativePath);
        var notebook = NotebookDocument.Load(path);
        bool hasFastMode = notebook.Cells.Any(c => c.Tags.Contains(Parameters.Tag) && c.Source.Contains("fast"));
        var options = new RunOptions(hasFastMode ? new Dictionary<string, string> { ["fast"] = "true" } : null, TimeSpan.FromMinutes(5));

        var result = NotebookRunner.Run(notebook, Path.GetDirectoryName(path)!, options);

        Assert.True(result.Succeeded, $"{relativePath}: {result.Error}");
        Assert.Empty(notebook.Cells.SelectMany(c => c.Outputs).OfType<ErrorOutput>());
        string executed = Path.Combine(Path.GetTempPath(), $"coursekit-{Guid.NewGuid():N}.ipynb");
        try
        {
            notebook.Save(executed);
            Nbformat.AssertValid(executed);
        }
        finally { File.Delete(executed); }
    }

    [Fact]
    public void The_first_lecture_exported_offline_draws_its_charts_in_headless_Chromium()
    {
        string path = Path.Combine(Root, "notebooks", "01-convolution-by-hand.ipynb");
        var notebook = NotebookDocument.Load(path);
        Assert.True(NotebookRunner.Run(notebook, Path.GetDirectoryName(path)!).Succeeded);
        int charts = notebook.Cells.SelectMany(c => c.Outputs).OfType<RichOutput>()
                             .Count(o => o.GetText("text/html")?.Contains("plotly-graph-div") == true);
        string page = Path.Combine(Path.GetTempPath(), $"coursekit-{Guid.NewGuid():N}.html");
        try
        {
            HtmlExporter.Save(notebook, page, new HtmlExportOptions(Offline: true));
            string dom = HeadlessChromium.DumpDom(page);

            Assert.True(charts >= 3, $"only {charts} charts in the notebook's outputs");
            Assert.Equal(charts, CountOf(dom, "class=\"plotly-graph-div"));
            Assert.True(CountOf(dom, "class=\"main-svg\"") >= charts, "some charts were not drawn");
        }
        finally { File.Delete(page); }
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
