using CourseKit.Notebooks;

namespace CourseKit.Tests.Notebooks;

/// <summary>Whole notebooks run in order, outputs saved as VS Code saves them, valid for nbformat.</summary>
public sealed class NotebookRunnerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("coursekit-runner-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A C# notebook with these code cells; a cell "[tag] code" gets the tag.</summary>
    internal static NotebookDocument Notebook(params string[] cells)
    {
        var notebook = NotebookDocument.CreateCSharp();
        foreach (string cell in cells)
        {
            var tagged = System.Text.RegularExpressions.Regex.Match(cell, @"^\[(\w[\w-]*)\] ");
            notebook.InsertCode(notebook.Cells.Count, tagged.Success ? cell[tagged.Length..] : cell,
                                tagged.Success ? [tagged.Groups[1].Value] : []);
        }
        return notebook;
    }

    /// <summary>Runs the notebook, saves it, checks the file with nbformat and returns the run's result.</summary>
    private NotebookRunResult RunAndValidate(NotebookDocument notebook, RunOptions? options = null)
    {
        var result = NotebookRunner.Run(notebook, _folder, options);
        string path = Path.Combine(_folder, "run.ipynb");
        notebook.Save(path);
        Nbformat.AssertValid(path);
        return result;
    }

    private static string Text(CellOutput output) => output switch
    {
        StreamOutput stream => stream.Text,
        RichOutput rich => rich.Data["text/plain"]?.ToString() ?? rich.Data["text/html"]!.ToString(),
        ErrorOutput error => $"{error.EName}: {error.EValue}",
        _ => output.OutputType,
    };

    [Fact]
    public void Cells_run_in_order_with_execution_counts_and_outputs_saved()
    {
        var notebook = Notebook("var n = 6;", "Console.WriteLine(n * n);", "n + 1");
        notebook.InsertMarkdown(1, "# Between the cells");

        var result = RunAndValidate(notebook);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3, result.Cells);
        var code = notebook.Cells.Where(c => c.Kind == CellKind.Code).ToList();
        Assert.Equal([1, 2, 3], code.Select(c => c.ExecutionCount!.Value));
        Assert.Equal("36\n", Text(code[1].Outputs.Single()));
        Assert.Equal(3, Assert.IsType<ExecuteResultOutput>(code[2].Outputs.Single()).ExecutionCount);
    }

    /// <summary>One small notebook per engine feature: it runs (or fails as it should), shows what it should, and saves as valid nbformat.</summary>
    [Theory]
    [InlineData("state across cells", true, "42", new[] { "int answer = 41;", "answer + 1" })]
    [InlineData("a class from an earlier cell", true, "edge 3x3", new[] { "class Kernel2d { public string Name => \"edge 3x3\"; }", "new Kernel2d().Name" })]
    [InlineData("a formatter registered in a cell", true, "<b>P(1,2)</b>", new[] { "record P(int X, int Y);\nFormatter.Register<P>(p => $\"<b>P({p.X},{p.Y})</b>\", \"text/html\");", "display(new P(1, 2));" })]
    [InlineData("a compile error", false, "cell 1, line 2: error CS0029", new[] { "var ok = 1;\nint wrong = \"text\";" })]
    [InlineData("a runtime exception", false, "DivideByZeroException", new[] { "int zero = 0;", "var boom = 1 / zero;" })]
    [InlineData("the time magic", true, "Wall time:", new[] { "#!time\nSystem.Threading.Thread.Sleep(5);" })]
    [InlineData("HTML()", true, "<em>shown</em>", new[] { "HTML(\"<em>shown</em>\")" })]
    public void Each_engine_feature_runs_as_a_notebook_that_nbformat_accepts(string feature, bool succeeds, string shown, string[] cells)
    {
        var notebook = Notebook(cells);

        var result = RunAndValidate(notebook);

        Assert.True(succeeds == result.Succeeded, $"{feature}: {result.Error}");
        Assert.Contains(notebook.Cells.SelectMany(c => c.Outputs), o => Text(o).Contains(shown) || (o is RichOutput r && r.GetText("text/html")?.Contains(shown) == true));
    }

    [Fact]
    public void A_dll_and_a_nuget_package_referenced_by_a_notebook_are_loaded()
    {
        string library = typeof(Tensor).Assembly.Location.Replace("\\", "/");
        var notebook = Notebook($"#r \"{library}\"\n#r \"nuget: MathNet.Numerics, 5.0.0\"",
                                "CourseKit.Tensor.Of(1, 2, 3).Sum().Item() + MathNet.Numerics.SpecialFunctions.Factorial(3)");

        var result = RunAndValidate(notebook);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("12", Text(notebook.Cells[1].Outputs.Single()));
    }

    [Fact]
    public void A_display_updated_many_times_is_one_output_showing_the_last_value()
    {
        var notebook = Notebook("""
            var progress = display("step 0");
            for (int step = 1; step <= 100; step++) progress.Update($"step {step}");
            """);

        RunAndValidate(notebook);

        Assert.Equal("step 100", Text(notebook.Cells[0].Outputs.Single()));
    }

    [Fact]
    public void A_display_can_be_updated_from_a_later_cell()
    {
        var notebook = Notebook("var shown = display(\"first\");", "shown.Update(\"second\");");

        RunAndValidate(notebook);

        Assert.Equal("second", Text(notebook.Cells[0].Outputs.Single()));
        Assert.Empty(notebook.Cells[1].Outputs);
    }

    [Fact]
    public void The_run_stops_at_the_first_failing_cell_and_names_it()
    {
        var notebook = Notebook("var ok = 1;", "ok + undefinedName", "Console.WriteLine(\"never\");");

        var result = RunAndValidate(notebook);

        Assert.False(result.Succeeded);
        Assert.StartsWith("cell 2, line 1: error CS0103", result.Error);
        Assert.IsType<ErrorOutput>(notebook.Cells[1].Outputs.Single());
        Assert.Empty(notebook.Cells[2].Outputs);
        Assert.Null(notebook.Cells[2].ExecutionCount);
    }

    [Fact]
    public void Parameters_are_injected_after_the_parameters_cell_keeping_the_declared_types()
    {
        var notebook = Notebook("[parameters] int epochs = 10; float lr = 0.1f; bool fast = false; string name = \"full\";",
                                "$\"{epochs} {lr.GetType().Name} {lr} {fast} {name}\"");

        var result = RunAndValidate(notebook, new RunOptions(new Dictionary<string, string>
        {
            ["epochs"] = "1", ["lr"] = "0.01", ["fast"] = "true", ["name"] = "a \"quick\" run",
        }));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3, notebook.Cells.Count);
        Assert.Equal([Parameters.InjectedTag], notebook.Cells[1].Tags);
        Assert.Equal("1 Single 0.01 True a \"quick\" run", Text(notebook.Cells[2].Outputs.Single()));
    }

    [Fact]
    public void A_parameter_the_notebook_does_not_declare_is_refused_with_the_names_it_has()
    {
        var notebook = Notebook("[parameters] int epochs = 10;", "epochs");

        var result = RunAndValidate(notebook, new RunOptions(new Dictionary<string, string> { ["epoch"] = "1" }));

        Assert.False(result.Succeeded);
        Assert.Contains("parameter 'epoch' is not declared in the parameters cell (cell 1); it declares: epochs", result.Error);
    }

    [Fact]
    public void A_cell_in_another_language_is_a_clear_error()
    {
        var notebook = Notebook("#!fsharp\nlet x = 1");

        var result = RunAndValidate(notebook);

        Assert.False(result.Succeeded);
        Assert.Contains("cell 1: its language is 'fsharp'", result.Error);
    }

    [Fact]
    public void Markdown_written_in_a_code_cell_with_the_markdown_magic_is_not_run()
    {
        var result = RunAndValidate(Notebook("#!markdown\n# A heading, not code", "1 + 1"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(1, result.Cells);
    }

    [Fact]
    public void Training_in_a_notebook_shows_one_progress_output_updated_in_place()
    {
        string library = typeof(Tensor).Assembly.Location.Replace("\\", "/");
        var notebook = Notebook($"#r \"{library}\"\nusing CourseKit;", """
            Rng.ManualSeed(0);
            var x = Tensor.Randn(64, 4);
            var y = Tensor.FromArray(Enumerable.Range(0, 64).Select(i => (float)(i % 2)).ToArray(), 64);
            var data = new TensorDataset(x, y);
            var model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
            var history = Trainer.Fit(model, new CrossEntropyLoss(), new SGD(model.Parameters(), lr: 0.1f),
                                      new DataLoader(data, batchSize: 8), epochs: 3);
            """);

        var result = RunAndValidate(notebook);

        Assert.True(result.Succeeded, result.Error);
        var progress = Assert.IsType<DisplayDataOutput>(notebook.Cells[1].Outputs.Single());
        string html = progress.Data["text/html"]!.ToString();
        Assert.Contains("Done: 3 epochs.", html);
        Assert.Equal(3, html.Split("<tr><td").Length - 1);
    }

    [Fact]
    public void A_nuget_package_is_restored_once_and_referenced()
    {
        var resolver = new NuGetResolver(Path.Combine(_folder, "cache"));
        using var session = new ScriptSession(_folder, resolver);
        var output = new RecordedOutput();

        var result = session.Run("#r \"nuget: MathNet.Numerics, 5.0.0\"\nMathNet.Numerics.SpecialFunctions.Factorial(5)", "cell 1", output);
        var second = resolver.Resolve([new PackageRequest("MathNet.Numerics", "5.0.0")], [], _folder);

        Assert.True(result.Status == CellStatus.Succeeded, result.Error);
        Assert.Equal(["result: 120"], output.Events);
        Assert.Contains(second, path => path.EndsWith("MathNet.Numerics.dll"));
        Assert.Single(Directory.GetDirectories(Path.Combine(_folder, "cache")));   // the second resolve used the cache
    }

    [Fact]
    public void A_missing_nuget_package_is_named_in_the_error()
    {
        using var session = new ScriptSession(_folder, new NuGetResolver(Path.Combine(_folder, "cache")));

        var result = session.Run("#r \"nuget: CourseKit.NoSuchPackage.Anywhere, 1.0.0\"", "cell 3", new RecordedOutput());

        Assert.Equal(CellStatus.Failed, result.Status);
        Assert.Contains("CourseKit.NoSuchPackage.Anywhere", result.Error);
        Assert.Contains("could not be restored", result.Error);
    }
}
