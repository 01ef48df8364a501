using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Formatting;

namespace CourseKit.Tests.Display;

public class NotebookFormatterTests
{
    private const string PlotlyMarker = "plotly.js v";

    public NotebookFormatterTests() => NotebookFormatters.Register();

    private static string Html(object value) => Formatter.ToDisplayString(value, "text/html");

    [Fact]
    public void A_chart_renders_as_a_plotly_div_with_its_data()
    {
        string html = Html(Plot.Curves("Loss", ("train", [0.75, 0.375])));
        Assert.Matches("<div id=\"coursekit-plot-[0-9a-f]+\" class=\"plotly-graph-div\">", html);
        Assert.Contains("Plotly.newPlot(", html);
        Assert.Contains("[0.75,0.375]", html);
    }

    [Fact]
    public void Only_the_first_chart_in_a_notebook_carries_plotly_js()
    {
        NotebookFormatters.ResendPlotlyJs();
        string first = Html(Plot.ActivationFunctions()), second = Html(Plot.ActivationFunctions());
        Assert.Contains(PlotlyMarker + ChartHtml.PlotlyVersion, first);
        Assert.DoesNotContain(PlotlyMarker, second);
        Assert.Contains("window.Plotly", second);                                   // waits for the first output's plotly.js
    }

    [Fact]
    public void A_small_tensor_renders_as_a_table_with_its_values()
    {
        string html = Html(Tensor.From(new float[,] { { 1, -2.5f }, { 3, 4 } }));
        Assert.Contains("<table", html);
        Assert.Equal(2, Regex.Matches(html, "<tr>").Count);
        Assert.Equal(["1", "-2.5", "3", "4"], Regex.Matches(html, "<td[^>]*>([^<]*)</td>").Select(m => m.Groups[1].Value));
        Assert.Contains("shape (2, 2)", html);
    }

    [Fact]
    public void An_image_shaped_tensor_renders_as_a_png_picture()
    {
        string html = Html(Tensor.Rand(1, 28, 28));
        var match = Regex.Match(html, "<img src=\"data:image/png;base64,([^\"]+)\"");
        Assert.True(match.Success, html);
        var (width, height, colourType, _) = PngTests.Decode(Convert.FromBase64String(match.Groups[1].Value));
        Assert.Equal((28, 28, 0), (width, height, colourType));
        Assert.DoesNotContain("<table", html);
    }

    [Fact]
    public void A_batch_of_colour_images_renders_one_picture_per_image()
    {
        string html = Html(Tensor.Rand(3, 3, 8, 8));
        Assert.Equal(3, Regex.Matches(html, "<img src=\"data:image/png;base64,").Count);
    }

    [Fact]
    public void A_large_tensor_renders_its_shape_and_printed_values()
    {
        var tensor = Tensor.Zeros(2, 5, 3, 3);
        string html = Html(tensor);
        Assert.Contains("shape (2, 5, 3, 3)", html);
        Assert.Contains("<pre>", html);
        Assert.DoesNotContain("<img", html);
    }

    [Fact]
    public void Plain_text_stays_the_tensors_ToString()
    {
        var tensor = Tensor.Of(1, 2, 3);
        Assert.Equal(tensor.ToString(), Formatter.ToDisplayString(tensor, "text/plain"));
    }

    [Fact]
    public void A_parameter_renders_like_a_tensor()
    {
        Assert.Contains("<table", Html(new Parameter(Tensor.Of(1, 2))));
    }

    [Fact]
    public void A_summary_renders_as_a_table_with_the_parameter_count()
    {
        string html = Html(new Conv2d(3, 6, 5).Summary(3, 32, 32));
        Assert.Contains("<table>", html);
        Assert.Contains("<td style=\"text-align: left\">Conv2d</td>", html);
        Assert.Contains("456", html);
        Assert.Contains("(N, 6, 28, 28)", html);
    }

    [Fact]
    public void A_history_renders_its_loss_curves_and_a_row_per_epoch()
    {
        string html = Html(CourseKit.Tests.Plots.PlotTests.TwoEpochHistory());
        Assert.Contains("class=\"plotly-graph-div\"", html);
        Assert.Contains("[0.875,0.625]", html);
        Assert.Equal(2, Regex.Matches(html, "<tr><td>").Count);
        Assert.Contains("<td>50.0%</td>", html);
    }

    [Fact]
    public void Register_twice_registers_each_formatter_once()
    {
        NotebookFormatters.Register();
        NotebookFormatters.Register();
        Assert.Single(Formatter.RegisteredFormatters(false), f => f.Type == typeof(Tensor) && f.MimeType == "text/html");
    }
}
