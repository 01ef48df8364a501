using CourseKit.Notebooks;

namespace CourseKit.Tests.Notebooks;

/// <summary>
/// The lecture notebooks in notebooks/ run headless from top to bottom, as CI runs them, and show the
/// lecture's numbers. They load lib/CourseKit/bin/Release/net8.0/CourseKit.dll: build it first with
/// <c>dotnet build lib/CourseKit -c Release</c>.
/// </summary>
public class LectureNotebookTests
{
    [Fact]
    public void Convolution_by_hand_notebook_runs_and_shows_the_lecture_numbers()
    {
        var (notebook, result) = Run("01-convolution-by-hand.ipynb");

        Assert.True(result.Succeeded, result.Error);
        var outputs = notebook.Cells.Where(c => c.Kind == CellKind.Code).SelectMany(c => c.Outputs).ToList();
        Assert.Empty(outputs.OfType<ErrorOutput>().Select(e => $"{e.EName}: {e.EValue}"));
        string text = Compact(string.Join("\n", outputs.Select(PlainText)));

        // The 6×6 example with the vertical-edge kernel: one number by hand, then the whole 4×4 result
        // twice (the notebook's own loops and F.Correlate2d).
        Assert.Contains(Compact("S[0, 0] = -5"), text);
        Assert.Equal(2, Occurrences(text, Compact("[[-5, -4, 0, 8], [-10, -2, 2, 3], [0, -2, -4, -7], [-3, -2, -3, -16]]")));
        Assert.Contains(Compact("Correlate (by hand) and F.Correlate2d agree: True"), text);

        // Convolution turns the kernel by 180°: for this kernel, the negative of the correlation.
        Assert.Contains(Compact("[[5, 4, 0, -8], [10, 2, -2, -3], [0, 2, 4, 7], [3, 2, 3, 16]]"), text);
        Assert.Contains(Compact("Convolve2d(I, K) equals Correlate2d(I, flipped K): True"), text);

        // The 7×7 image with a 3×3 kernel: ⌊(n + 2p − k)/s⌋ + 1.
        Assert.Contains(Compact("⌊(7 + 2·0 − 3)/1⌋ + 1 = 5 → output 5×5"), text);
        Assert.Contains(Compact("⌊(7 + 2·0 − 3)/2⌋ + 1 = 3 → output 3×3"), text);
        Assert.Contains(Compact("⌊(7 + 2·1 − 3)/3⌋ + 1 = 3 → output 3×3"), text);
        Assert.Contains(Compact("F.ConvOutputSize(7, 3, stride: 3) = 2"), text);
        Assert.Contains(Compact("never seen: column 6"), text);
        Assert.Contains(Compact("(7 + 2·0 − 3)/3 + 1 = 2.33 is not a whole number"), text);
        Assert.Contains(Compact("Padding 1 fixes it: (7 + 2·1 − 3)/3 + 1 = 3"), text);

        int charts = outputs.OfType<RichOutput>().Count(o => o.GetText("text/html")?.Contains("plotly-graph-div") == true);
        Assert.True(charts >= ChartsInConvolutionNotebook, $"expected at least {ChartsInConvolutionNotebook} charts, got {charts}");
    }

    /// <summary>The pictures the convolution notebook draws: digit, colour channels, grey photo, two kernel galleries, edge strength, padding (2), stride (2).</summary>
    private const int ChartsInConvolutionNotebook = 10;

    /// <summary>Runs notebooks/<paramref name="fileName"/> in its own folder, as VS Code and the CLI do.</summary>
    private static (NotebookDocument Notebook, NotebookRunResult Result) Run(string fileName)
    {
        string folder = Path.Combine(Repository.Root, "notebooks");
        var notebook = NotebookDocument.Load(Path.Combine(folder, fileName));
        return (notebook, NotebookRunner.Run(notebook, folder));
    }


    /// <summary>What an output shows as text: a stream's text or a value's text/plain (tensors print their values there).</summary>
    private static string PlainText(CellOutput output) => output switch
    {
        StreamOutput stream => stream.Text,
        RichOutput rich => rich.GetText("text/plain") ?? "",
        _ => "",
    };

    /// <summary>The text without any white space, so that column alignment and line breaks do not matter.</summary>
    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static int Occurrences(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
