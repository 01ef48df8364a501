namespace CourseKit.Notebooks;

/// <summary>How <see cref="HtmlExporter"/> writes a notebook as a web page.</summary>
/// <param name="Offline">
/// Embed plotly.js (≈ 3.6 MB) once in the page so its charts draw without internet (the default);
/// false loads it from cdn.plot.ly instead.
/// </param>
/// <param name="Title">The page title; by default the notebook's first heading.</param>
public sealed record HtmlExportOptions(bool Offline = true, string? Title = null);
