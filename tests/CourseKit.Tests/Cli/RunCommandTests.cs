using CourseKit.Cli;
using CourseKit.Notebooks;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Cli;

/// <summary><c>coursekit run</c>: each notebook in its own process, a runaway cell stopped at the limit.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("coursekit-run-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Save(string name, NotebookDocument notebook)
    {
        string path = Path.Combine(_folder, name);
        notebook.Save(path);
        return path;
    }

    [Fact]
    public void A_runaway_cell_is_stopped_at_the_limit_and_the_next_notebook_still_runs()
    {
        string runaway = Save("runaway.ipynb", NotebookRunnerTests.Notebook("Console.WriteLine(\"started\");", "while (true) { }", "1 + 1"));
        string fine = Save("fine.ipynb", NotebookRunnerTests.Notebook("6 * 7"));
        string output = Path.Combine(_folder, "out");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        int exit = CliApp.Build().Parse(["run", runaway, fine, "--out", output, "--cell-timeout", "2"]).Invoke();

        Assert.Equal(1, exit);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        var stopped = NotebookDocument.Load(Path.Combine(output, "runaway.ipynb"));
        Assert.Equal("started\n", Assert.IsType<StreamOutput>(stopped.Cells[0].Outputs.Single()).Text);
        var error = Assert.IsType<ErrorOutput>(stopped.Cells[1].Outputs.Single());
        Assert.Equal("cell 2 was stopped: it ran longer than the 2 s limit.", error.EValue);
        Assert.Empty(stopped.Cells[2].Outputs);
        var ran = NotebookDocument.Load(Path.Combine(output, "fine.ipynb"));
        Assert.Contains("42", ((RichOutput)ran.Cells[0].Outputs.Single()).Data["text/plain"]!.ToString());
        Nbformat.AssertValid(Path.Combine(output, "runaway.ipynb"));
        Nbformat.AssertValid(Path.Combine(output, "fine.ipynb"));
    }

    [Fact]
    public void Parameters_from_the_command_line_reach_the_notebook()
    {
        string path = Save("params.ipynb", NotebookRunnerTests.Notebook("[parameters] int epochs = 15;", "epochs * 2"));
        string output = Path.Combine(_folder, "out");

        int exit = CliApp.Build().Parse(["run", path, "--out", output, "-p", "epochs=1"]).Invoke();

        Assert.Equal(0, exit);
        var ran = NotebookDocument.Load(Path.Combine(output, "params.ipynb"));
        Assert.Equal("2", ((RichOutput)ran.Cells[2].Outputs.Single()).Data["text/plain"]!.ToString());
        Assert.Equal(2, NotebookDocument.Load(path).Cells.Count);          // the source notebook is untouched
    }

    [Fact]
    public void Without_out_the_notebook_gets_its_outputs_in_place()
    {
        string path = Save("inplace.ipynb", NotebookRunnerTests.Notebook("\"hello\""));

        Assert.Equal(0, CliApp.Build().Parse(["run", path]).Invoke());

        Assert.Equal("hello", ((RichOutput)NotebookDocument.Load(path).Cells[0].Outputs.Single()).Data["text/plain"]!.ToString());
        Assert.Single(Directory.GetFiles(_folder));                         // no temporary files left behind
    }

    [Theory]
    [InlineData("{ \"cells\": [", "not a notebook: invalid JSON")]
    [InlineData("{ \"nbformat\": 3, \"nbformat_minor\": 0, \"metadata\": {}, \"worksheets\": [] }", "nbformat 3.0 is not supported")]
    [InlineData("{ \"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": { \"kernelspec\": { \"name\": \"python3\", \"language\": \"python\", \"display_name\": \"Python 3\" } }, \"cells\": [ { \"cell_type\": \"code\", \"id\": \"a\", \"metadata\": {}, \"execution_count\": null, \"outputs\": [], \"source\": \"print(1)\" } ] }", "the notebook's kernel is 'python'")]
    public void Bad_input_is_one_line_naming_the_file_and_the_problem(string content, string problem)
    {
        string path = Path.Combine(_folder, "bad.ipynb");
        File.WriteAllText(path, content);
        var console = new StringWriter();
        var original = Spectre.Console.AnsiConsole.Console;
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(console) });
        try
        {
            Assert.Equal(1, CliApp.Build().Parse(["run", path, "--out", Path.Combine(_folder, "out")]).Invoke());
        }
        finally { Spectre.Console.AnsiConsole.Console = original; }

        var lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(lines, line => line.Contains('✗'));
        Assert.Contains("bad.ipynb", error);
        Assert.Contains(problem, error);
        Assert.DoesNotContain(lines, line => line.TrimStart().StartsWith("at "));
    }
}
