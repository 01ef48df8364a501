using System.Text;
using CourseKit.Notebooks;

namespace CourseKit.Tests.Notebooks;

public class IpynbTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Notebooks", "convolution-by-hand.ipynb");

    [Fact]
    public void A_notebook_VS_Code_wrote_is_written_back_byte_for_byte()
    {
        string original = File.ReadAllText(Fixture);
        var notebook = NotebookDocument.Load(Fixture);
        Assert.Equal(original, notebook.ToJson());
    }

    [Fact]
    public void The_typed_views_read_cells_and_outputs_of_every_type()
    {
        var notebook = NotebookDocument.Load(Fixture);

        Assert.Equal((4, 5), (notebook.FormatMajor, notebook.FormatMinor));
        Assert.Equal([CellKind.Markdown, CellKind.Code, CellKind.Code, CellKind.Code, CellKind.Code, CellKind.Markdown, CellKind.Code],
                     notebook.Cells.Select(c => c.Kind));
        var markdown = notebook.Cells[0];
        Assert.Equal("5c1b7e0a", markdown.Id);
        Assert.StartsWith("# Convolution by hand\n\nA 3×3 kernel", markdown.Source);
        Assert.Null(markdown.ExecutionCount);
        Assert.Empty(markdown.Outputs);

        var conv = notebook.Cells[2];
        Assert.Equal(2, conv.ExecutionCount);
        Assert.Equal(["lecture"], conv.Tags);
        var stdout = Assert.IsType<StreamOutput>(conv.Outputs[0]);
        Assert.Equal(("stdout", "image: [6, 6]\nkernel: [3, 3]\n"), (stdout.Name, stdout.Text));
        var table = Assert.IsType<DisplayDataOutput>(conv.Outputs[1]);
        Assert.Equal("<table class=\"tensor\">\r\n<tr><td>0</td><td>0</td><td>0</td><td>1</td></tr>\r\n<tr><td>0</td><td>0</td><td>1</td><td>0</td></tr>\r\n</table>",
                     table.GetText("text/html"));
        var image = Assert.IsType<DisplayDataOutput>(conv.Outputs[2]);
        Assert.StartsWith("iVBORw0KGgo", image.GetText("image/png"));
        Assert.Equal(2, image.Metadata["image/png"]!["width"]!.GetValue<int>());

        var result = Assert.IsType<ExecuteResultOutput>(notebook.Cells[3].Outputs.Single());
        Assert.Equal((3, "630"), (result.ExecutionCount, result.GetText("text/plain")));

        var error = Assert.IsType<ErrorOutput>(notebook.Cells[4].Outputs[1]);
        Assert.Equal("Error", error.EName);
        Assert.Contains("CS0103", error.EValue);
        Assert.Single(error.Traceback);

        Assert.Equal(["exercise", "solution"], notebook.Cells[6].Tags);
        Assert.Equal("", notebook.Cells[6].Source);
        Assert.Null(notebook.Cells[6].ExecutionCount);
    }

    [Fact]
    public void Keys_the_model_does_not_know_survive_a_round_trip()
    {
        string json = """
            {
             "cells": [
              {
               "cell_type": "code",
               "collapsed_by_some_tool": true,
               "execution_count": 7,
               "metadata": {
                "9": "nine",
                "10": "ten",
                "Zeta": [
                 1.5,
                 -2,
                 1e+21,
                 null
                ],
                "alpha": {}
               },
               "outputs": [
                {
                 "output_type": "widget_state",
                 "payload": [
                  "kept\n",
                  "as lines"
                 ]
                },
                {
                 "data": {
                  "application/vnd.custom+json": {
                   "b": [],
                   "a": "\u0001 é </script>"
                  },
                  "text/plain": [
                   "x"
                  ]
                 },
                 "metadata": {},
                 "output_type": "display_data"
                }
               ],
               "source": [
                "1 + 1"
               ]
              }
             ],
             "metadata": {},
             "nbformat": 4,
             "nbformat_minor": 4,
             "zz_extension": "kept"
            }

            """.Replace("\r\n", "\n");
        // The data object above is not sorted ("b" before "a"): the writer sorts it, as VS Code does.
        string expected = json.Replace("\"b\": [],\n       \"a\": \"\\u0001 é </script>\"",
                                       "\"a\": \"\\u0001 é </script>\",\n       \"b\": []");
        Assert.NotEqual(json, expected);
        Assert.Equal(expected, NotebookDocument.Parse(json).ToJson());
    }

    [Fact]
    public void Numbers_are_written_as_JavaScript_prints_them()
    {
        Assert.Equal("1", IpynbJsonWriter.JavaScriptNumber(1.0));
        Assert.Equal("-0.5", IpynbJsonWriter.JavaScriptNumber(-0.5));
        Assert.Equal("0.1", IpynbJsonWriter.JavaScriptNumber(0.1));
        Assert.Equal("0.000001", IpynbJsonWriter.JavaScriptNumber(1e-6));
        Assert.Equal("1.5e-7", IpynbJsonWriter.JavaScriptNumber(1.5e-7));
        Assert.Equal("123456789012345680000", IpynbJsonWriter.JavaScriptNumber(123456789012345680000.0));
        Assert.Equal("1e+21", IpynbJsonWriter.JavaScriptNumber(1e21));
        Assert.Equal("1.7976931348623157e+308", IpynbJsonWriter.JavaScriptNumber(double.MaxValue));
        Assert.Equal("0", IpynbJsonWriter.JavaScriptNumber(-0.0));
    }

    [Fact]
    public void Sources_are_written_as_lines_that_keep_their_line_breaks()
    {
        var notebook = NotebookDocument.CreateCSharp();
        notebook.InsertCode(0, "a\r\nb\n\nc\n");
        notebook.InsertCode(1, "");
        string json = notebook.ToJson();
        Assert.Contains("\"source\": [\n    \"a\\r\\n\",\n    \"b\\n\",\n    \"\\n\",\n    \"c\\n\"\n   ]", json);
        Assert.Contains("\"source\": []", json);
        Assert.Equal("a\r\nb\n\nc\n", NotebookDocument.Parse(json).Cells[0].Source);
    }

    [Fact]
    public void The_kernel_comes_from_the_magic_line_then_the_cell_metadata_then_the_notebook()
    {
        var notebook = NotebookDocument.Parse("""
            {"cells": [
              {"cell_type": "code", "execution_count": null, "metadata": {"polyglot_notebook": {"kernelName": "fsharp"}}, "outputs": [], "source": "#!C#\nvar x = 1;"},
              {"cell_type": "code", "execution_count": null, "metadata": {"polyglot_notebook": {"kernelName": "fsharp"}}, "outputs": [], "source": "let x = 1"},
              {"cell_type": "code", "execution_count": null, "metadata": {"dotnet_interactive": {"language": "pwsh"}}, "outputs": [], "source": "Get-Date"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "#!markdown\n# Title"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "#!f#\r\nlet y = 2"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "#!time\nvar z = 3;"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "#!sql-adventureworks\nSELECT 1"},
              {"cell_type": "markdown", "metadata": {}, "source": "Some *text*"}
            ],
             "metadata": {"polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp",
               "items": [{"aliases": ["aw"], "name": "sql-adventureworks"}]}}},
             "nbformat": 4, "nbformat_minor": 4}
            """);

        Assert.Equal(["csharp", "fsharp", "pwsh", "markdown", "fsharp", "csharp", "sql-adventureworks", "markdown"],
                     notebook.Cells.Select(c => c.KernelName(notebook.DefaultKernelName)));
        Assert.Equal(("var x = 1;", 2), (notebook.Cells[0].Code, notebook.Cells[0].CodeFirstLine));
        Assert.Equal(("let x = 1", 1), (notebook.Cells[1].Code, notebook.Cells[1].CodeFirstLine));
        Assert.Equal("let y = 2", notebook.Cells[4].Code);
        Assert.Equal(("#!time\nvar z = 3;", 1), (notebook.Cells[5].Code, notebook.Cells[5].CodeFirstLine));   // #!time chooses no kernel
        Assert.Equal("# Title", notebook.Cells[3].Code);
    }

    [Theory]
    [InlineData("""{"polyglot_notebook": {"kernelInfo": {"defaultKernelName": "fsharp"}}, "kernelspec": {"name": ".net-pwsh"}}""", "fsharp")]
    [InlineData("""{"kernelspec": {"name": ".net-fsharp"}, "language_info": {"name": "C#"}}""", "fsharp")]
    [InlineData("""{"kernelspec": {"name": ".net-pwsh"}}""", "pwsh")]
    [InlineData("""{"kernelspec": {"name": "python3"}, "language_info": {"name": "python"}}""", "python")]
    [InlineData("""{"language_info": {"name": "C#"}}""", "csharp")]
    [InlineData("""{"language_info": {"name": "polyglot-notebook"}}""", "csharp")]
    [InlineData("{}", "csharp")]
    public void The_default_kernel_comes_from_polyglot_metadata_then_the_kernelspec_then_the_language(string metadata, string expected)
    {
        var notebook = NotebookDocument.Parse($$"""{"cells": [], "metadata": {{metadata}}, "nbformat": 4, "nbformat_minor": 5}""");
        Assert.Equal(expected, notebook.DefaultKernelName);
    }

    [Fact]
    public void A_new_CSharp_notebook_with_every_output_type_is_valid_nbformat_and_keeps_display_ids_out_of_the_file()
    {
        var notebook = NotebookDocument.CreateCSharp();
        notebook.InsertMarkdown(0, "# Lecture 3\n");
        var code = notebook.InsertCode(1, "Console.WriteLine(1);\ndisplay(2);\n3", "exercise", "solution");
        code.ExecutionCount = 1;
        code.Outputs.Add(new StreamOutput("stdout", "1\n"));
        code.Outputs.Add(new StreamOutput("stderr", "careful\n"));
        code.Outputs.Add(new DisplayDataOutput(new Dictionary<string, string> { ["text/html"] = "<b>2</b>\n<i>two</i>", ["text/plain"] = "2" }, "display-id-42"));
        code.Outputs.Add(new DisplayDataOutput(new Dictionary<string, string> { ["application/json"] = """{"value": 2}""" }));
        code.Outputs.Add(new ExecuteResultOutput(1, new Dictionary<string, string> { ["text/plain"] = "3" }));
        code.Outputs.Add(new ErrorOutput("System.Exception", "boom", ["at Submission#1", "\u001b[31mred\u001b[0m"]));
        notebook.InsertCode(2, "var empty = 0;");

        using var dir = new ScratchFolder();
        string path = dir.File("new.ipynb");
        notebook.Save(path);
        string json = File.ReadAllText(path);

        Nbformat.AssertValid(path);
        Assert.DoesNotContain("transient", json);
        Assert.DoesNotContain("display-id-42", json);
        Assert.Equal("display-id-42", ((DisplayDataOutput)code.Outputs[2]).DisplayId);
        var ids = notebook.Cells.Select(c => c.Id).ToList();
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{8}$", id));
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal("csharp", NotebookDocument.Load(path).DefaultKernelName);
        Assert.Equal(["exercise", "solution"], NotebookDocument.Load(path).Cells[1].Tags);
        Assert.Equal(2, ((RichOutput)NotebookDocument.Load(path).Cells[1].Outputs[3]).Data["application/json"]!["value"]!.GetValue<int>());
    }

    [Fact]
    public void A_display_id_some_tool_left_in_a_file_is_read_but_not_written_back()
    {
        var notebook = NotebookDocument.Parse("""
            {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "display(1)",
                        "outputs": [{"output_type": "display_data", "data": {"text/plain": ["1"]}, "metadata": {},
                                     "transient": {"display_id": "abc"}}]}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
            """);

        Assert.Equal("abc", ((DisplayDataOutput)notebook.Cells[0].Outputs[0]).DisplayId);
        Assert.DoesNotContain("transient", notebook.ToJson());
    }

    [Fact]
    public void An_nbformat_4_0_notebook_without_ids_loads_and_saves_without_ids()
    {
        var notebook = NotebookDocument.Parse("""
            {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Old notebook"]}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 0}
            """);
        notebook.InsertCode(1, "var x = 1;");

        using var dir = new ScratchFolder();
        string path = dir.File("old.ipynb");
        notebook.Save(path);

        Assert.All(notebook.Cells, cell => Assert.Null(cell.Id));
        Assert.DoesNotContain("\"id\"", File.ReadAllText(path));
        Nbformat.AssertValid(path);
    }

    [Fact]
    public void Cells_and_outputs_changed_through_the_lists_are_saved()
    {
        var notebook = NotebookDocument.Load(Fixture);
        var last = notebook.Cells[^1];
        notebook.Cells.RemoveAt(notebook.Cells.Count - 1);
        notebook.Cells.Insert(0, last);                                      // move the exercise to the top
        notebook.Cells.RemoveAt(notebook.Cells.Count - 1);                   // drop the markdown before it
        notebook.Cells[4].Outputs.Clear();
        notebook.Cells[4].ExecutionCount = null;
        notebook.Cells[5].Outputs[1] = new ErrorOutput("Error", "replaced", []);
        ((StreamOutput)notebook.Cells[5].Outputs[0]).Text = "edited in place\n";
        ((DisplayDataOutput)notebook.Cells[3].Outputs[2]).Data["text/plain"] = "PixelImage 2 by 2";

        var reloaded = NotebookDocument.Parse(notebook.ToJson());

        Assert.Equal(["c3f0b5d8", "5c1b7e0a", "9f3d2c41", "e07a66b2", "0d4e8f17", "b81f2a9c"], reloaded.Cells.Select(c => c.Id));
        Assert.Equal(0, last.Index);
        Assert.Equal("cell 4 (id e07a66b2)", reloaded.Cells[3].Describe());
        Assert.Empty(reloaded.Cells[4].Outputs);
        Assert.Null(reloaded.Cells[4].ExecutionCount);
        Assert.Equal("replaced", ((ErrorOutput)reloaded.Cells[5].Outputs[1]).EValue);
        Assert.Equal("edited in place\n", ((StreamOutput)reloaded.Cells[5].Outputs[0]).Text);
        Assert.Equal("PixelImage 2 by 2", ((DisplayDataOutput)reloaded.Cells[3].Outputs[2]).GetText("text/plain"));
        Assert.Throws<InvalidOperationException>(() => NotebookDocument.CreateCSharp().Cells.Add(last));   // a cell lives in one notebook
    }

    [Fact]
    public void A_truncated_file_is_reported_with_its_name_and_position()
    {
        using var dir = new ScratchFolder();
        string path = dir.File("truncated.ipynb");
        string text = File.ReadAllText(Fixture);
        File.WriteAllText(path, text[..(text.Length / 2)]);

        var error = Assert.Throws<NotebookException>(() => NotebookDocument.Load(path));

        Assert.StartsWith($"{path}: not a notebook: invalid JSON at line ", error.Message);
        Assert.Contains(", position ", error.Message);
    }

    [Theory]
    [InlineData("""{"metadata": {}, "nbformat": 3, "nbformat_minor": 0, "worksheets": []}""", "x.ipynb: nbformat 3.0 is not supported")]
    [InlineData("""{"name": "package.json"}""", "x.ipynb: not a notebook: it has no \"nbformat\" version number")]
    [InlineData("""[1, 2]""", "x.ipynb: not a notebook: the JSON is not an object")]
    [InlineData("", "x.ipynb: not a notebook: the file is empty")]
    [InlineData("""{"cells": [], "metadata": {}, "nbformat": 4, "nbformat": 3}""", "x.ipynb: not a notebook: invalid JSON: Duplicate property 'nbformat'")]
    [InlineData("""{"cells": [{"cell_type": "python", "source": ""}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""",
                "x.ipynb: not a notebook: cell 1: unknown cell_type \"python\"")]
    [InlineData("""{"cells": [{"cell_type": "code", "source": [1, 2]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""",
                "x.ipynb: not a notebook: cell 1: \"source\" must be a string or a list of strings")]
    public void Files_that_are_not_nbformat_4_notebooks_are_refused_by_name(string json, string message)
    {
        var error = Assert.Throws<NotebookException>(() => NotebookDocument.Parse(json, "x.ipynb"));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Save_replaces_an_existing_file_atomically_and_leaves_no_temporary_file()
    {
        using var dir = new ScratchFolder();
        string path = dir.File("lecture.ipynb");
        File.WriteAllText(path, "an older version");
        var notebook = NotebookDocument.Load(Fixture);

        notebook.Save(path);

        Assert.Equal(File.ReadAllBytes(Fixture), File.ReadAllBytes(path));
        Nbformat.AssertValid(path);
        Assert.Equal(["lecture.ipynb"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.False(Encoding.UTF8.GetPreamble().SequenceEqual(File.ReadAllBytes(path)[..3]));   // no byte-order mark
    }
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
internal sealed class ScratchFolder : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coursekit-notebooks-");

    public string Path => _dir.FullName;

    public string File(string name) => System.IO.Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);
}
