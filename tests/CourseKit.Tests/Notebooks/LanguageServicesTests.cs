using CourseKit.Notebooks;

namespace CourseKit.Tests.Notebooks;

/// <summary>Completion and hover in a notebook see what the cells run so far have declared, as in an editor.</summary>
public sealed class LanguageServicesTests : IDisposable
{
    private static readonly string CourseKitDll = typeof(Tensor).Assembly.Location;

    private readonly string _folder = Directory.CreateTempSubdirectory("coursekit-language-").FullName;
    private readonly ScriptSession _session;
    private readonly LanguageServices _services;

    public LanguageServicesTests()
    {
        _session = new ScriptSession(_folder);
        _services = new LanguageServices(_session);
    }

    public void Dispose()
    {
        _services.Dispose();
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private void Run(string code)
    {
        var output = new RecordedOutput();
        var result = _session.Run(code, "cell", output);
        Assert.True(result.Status == CellStatus.Succeeded, string.Join("\n", output.Events));
    }

    private void UseCourseKit() => Run($"#r \"{CourseKitDll}\"\nusing CourseKit;");

    /// <summary>Completes with the cursor at the end of <paramref name="code"/>, or at its <c>|</c> (which is removed).</summary>
    private CompletionResult Complete(string code)
    {
        int cursor = code.Contains('|') ? code.IndexOf('|') : code.Length;
        return _services.CompleteAsync(code.Replace("|", ""), cursor).GetAwaiter().GetResult();
    }

    private InspectResult Inspect(string code)
    {
        int cursor = code.Contains('|') ? code.IndexOf('|') : code.Length;
        return _services.InspectAsync(code.Replace("|", ""), cursor).GetAwaiter().GetResult();
    }

    [Fact]
    public void A_variable_from_an_earlier_cell_completes_from_the_start_of_its_word()
    {
        Run("var kernel3 = 42;");

        var completion = Complete("int twice = 2 * ker");

        Assert.Contains("kernel3", completion.Matches);
        Assert.All(completion.Matches, m => Assert.StartsWith("ker", m, StringComparison.OrdinalIgnoreCase));
        Assert.Equal((16, 19), (completion.CursorStart, completion.CursorEnd));
    }

    [Fact]
    public void Console_Wri_offers_WriteLine_with_its_signature()
    {
        var completion = Complete("Console.Wri");

        var writeLine = Assert.Single(completion.Items, i => i.Text == "WriteLine");
        Assert.Equal("method", writeLine.Kind);
        Assert.Matches(@"^void Console\.WriteLine\(\) \(\+ \d+ overloads\)$", writeLine.Signature);
        Assert.Equal((8, 11), (completion.CursorStart, completion.CursorEnd));
    }

    [Fact]
    public void A_layer_built_from_a_referenced_CourseKit_offers_its_members()
    {
        UseCourseKit();

        var completion = Complete("new Conv2d(3, 8, 3).");

        Assert.Contains("Forward", completion.Matches);
        Assert.Contains("Parameters", completion.Matches);
        Assert.Contains("Weight", completion.Matches);
        Assert.Equal("property", completion.Items.Single(i => i.Text == "Weight").Kind);
        Assert.Equal(new CompletionItemInfo("Forward", "method", "Tensor Conv2d.Forward(Tensor input)"), completion.Items.Single(i => i.Text == "Forward"));
        Assert.Equal(completion.CursorEnd, completion.CursorStart);
    }

    [Fact]
    public void Tensor_Ze_offers_Zeros_and_ZerosLike()
    {
        UseCourseKit();

        var completion = Complete("var x = Tensor.Ze");

        Assert.Equal(["Zeros", "ZerosLike"], completion.Matches);
    }

    [Fact]
    public void The_kernel_helpers_are_offered_and_explained_inside_their_call()
    {
        Assert.Contains("display", Complete("disp").Matches);

        var inside = Inspect("display(|");

        Assert.True(inside.Found);
        Assert.Contains("display(object", inside.PlainText);
        Assert.Contains("Shows value as a new output", inside.PlainText);
    }

    [Fact]
    public void Hovering_Conv2d_shows_its_signature_and_the_summary_from_CourseKit_xml()
    {
        UseCourseKit();

        var hover = Inspect("Conv2d|");

        Assert.True(hover.Found);
        Assert.StartsWith("class CourseKit.Conv2d\n\nA 2-D convolution layer (like nn.Conv2d)", hover.PlainText);
        Assert.StartsWith("```csharp\nclass CourseKit.Conv2d\n```\n\nA 2-D convolution layer", hover.Markdown);
    }

    [Fact]
    public void Inside_a_constructor_call_the_hover_shows_the_constructor_being_called()
    {
        UseCourseKit();

        var hover = Inspect("var conv = new Conv2d(3, |");

        Assert.StartsWith("Conv2d.Conv2d(int inChannels, int outChannels, int kernelSize", hover.PlainText);
    }

    [Fact]
    public void In_Markdown_the_classes_a_summary_names_are_code()
    {
        UseCourseKit();

        var hover = Inspect("BatchNorm2d|");

        Assert.Contains("See BatchNormBase.", hover.PlainText);
        Assert.Contains("See `BatchNormBase`.", hover.Markdown);
    }

    [Fact]
    public void A_detailed_inspection_adds_the_sections_after_the_summary()
    {
        string code = "Console.WriteLine";

        var brief = _services.InspectAsync(code, code.Length, detailLevel: 0).GetAwaiter().GetResult();
        var detailed = _services.InspectAsync(code, code.Length, detailLevel: 1).GetAwaiter().GetResult();

        Assert.DoesNotContain("IOException", brief.PlainText);
        Assert.StartsWith(brief.PlainText, detailed.PlainText);
        Assert.Contains("IOException", detailed.PlainText);
    }

    [Fact]
    public void Hovering_a_variable_from_an_earlier_cell_shows_its_type()
    {
        Run("var losses = new List<float> { 2.3f, 1.1f };");

        var hover = Inspect("losses|.Count");

        Assert.True(hover.Found);
        Assert.Contains("List<float> losses", hover.PlainText);
    }

    [Fact]
    public void Completing_in_the_middle_of_a_line_replaces_only_the_word_up_to_the_cursor()
    {
        Run("var kernel3 = 42;");

        var completion = Complete("Console.WriteLine(ker|nel + 1);");

        Assert.Contains("kernel3", completion.Matches);
        Assert.Equal((18, 21), (completion.CursorStart, completion.CursorEnd));
    }

    [Fact]
    public void Cursor_offsets_count_code_points_so_an_emoji_counts_once()
    {
        Run("var kernel3 = 42;");
        string code = "var party = \"🎉\"; ker";   // the emoji is two UTF-16 units, one code point

        var completion = _services.CompleteAsync(code, cursorPosition: code.Length - 1).GetAwaiter().GetResult();

        Assert.Contains("kernel3", completion.Matches);
        Assert.Equal((code.Length - 4, code.Length - 1), (completion.CursorStart, completion.CursorEnd));
    }

    [Fact]
    public void A_cell_run_again_shadows_its_earlier_run_instead_of_clashing_with_it()
    {
        Run("class Net { public int Layers = 1; }\nvar net = 1;");
        Run("class Net { public int Layers = 2; }\nvar net = new Net();");

        Assert.Contains("Layers", Complete("net.").Matches);
        Assert.Contains("Net net", Inspect("net|").PlainText);
    }

    [Fact]
    public void A_cell_that_failed_to_compile_declares_nothing()
    {
        var output = new RecordedOutput();
        _session.Run("var broken = ;", "cell", output);

        Assert.DoesNotContain("broken", Complete("brok").Matches);
    }

    [Fact]
    public void An_assembly_referenced_by_the_edited_cell_is_seen_before_it_runs()
    {
        File.Copy(CourseKitDll, Path.Combine(_folder, "CourseKit.dll"));

        var completion = Complete("#r \"CourseKit.dll\"\nusing CourseKit;\nTensor.Ze");

        Assert.Contains("Zeros", completion.Matches);
    }

    [Fact]
    public void Types_from_namespaces_the_cells_do_not_import_are_not_offered()
    {
        Assert.DoesNotContain("KernelSpec", Complete("KernelSp").Matches);   // CourseKit.Notebooks.Jupyter.KernelSpec
    }

    [Fact]
    public void After_warming_up_a_completion_reuses_the_workspace_and_a_new_cell_adds_one_project()
    {
        Run("var kernel3 = 42;");
        _services.WarmUpAsync().GetAwaiter().GetResult();
        int built = _services.ProjectsCreated;

        Complete("kern");
        Assert.Equal(built, _services.ProjectsCreated);

        Run("var kernel5 = 5;");
        Assert.Equal(["kernel3", "kernel5"], Complete("kern").Matches);
        Assert.Equal(built + 2, _services.ProjectsCreated);   // the new cell's project and a working project after it
    }
}
