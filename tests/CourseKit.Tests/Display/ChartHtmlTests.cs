using System.Text.RegularExpressions;

namespace CourseKit.Tests.Display;

public class ChartHtmlTests
{
    [Fact]
    public void An_offline_page_embeds_plotly_js_exactly_once_for_several_charts()
    {
        string page = ChartHtml.Page(Plot.Curves("a", ("x", [1.0, 2])), Plot.Histogram(Tensor.Of(1, 2, 3)));
        Assert.Single(Regex.Matches(page, "plotly\\.js v" + Regex.Escape(ChartHtml.PlotlyVersion)));
        Assert.Equal(2, Regex.Matches(page, "class=\"plotly-graph-div\"").Count);
        Assert.DoesNotContain("cdn.plot.ly/plotly-" + ChartHtml.PlotlyVersion + ".min.js\" charset", page);
    }

    [Fact]
    public void A_cdn_fragment_references_plotly_js_instead_of_embedding_it()
    {
        string html = ChartHtml.Fragment(Plot.ActivationFunctions(), PlotlyJs.Cdn);
        Assert.Contains($"<script src=\"https://cdn.plot.ly/plotly-{ChartHtml.PlotlyVersion}.min.js\"", html);
        Assert.DoesNotContain("plotly.js v", html);
        Assert.True(html.Length < 100_000);
    }

    [Fact]
    public void A_closing_script_tag_inside_a_title_cannot_end_the_script()
    {
        string html = ChartHtml.Fragment(Plot.Curves("</script><b>", ("x", [1.0])), PlotlyJs.AlreadyLoaded);
        Assert.Single(Regex.Matches(html, "</script>"));
    }
}
