namespace CourseKit;

/// <summary>Where the HTML of a chart gets plotly.js, the JavaScript library that draws it.</summary>
public enum PlotlyJs
{
    /// <summary>Embed the whole plotly.js (≈ 3.6 MB, shipped inside Plotly.NET) in the HTML: works offline.</summary>
    Inline,

    /// <summary>Load plotly.js from <c>cdn.plot.ly</c> with a <c>&lt;script src&gt;</c>: small, needs the internet.</summary>
    Cdn,

    /// <summary>
    /// Assume an earlier output or the page has loaded plotly.js already; if it is still missing after
    /// a few seconds, load it from the CDN.
    /// </summary>
    AlreadyLoaded,
}
