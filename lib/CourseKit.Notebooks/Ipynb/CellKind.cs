namespace CourseKit.Notebooks;

/// <summary>The three kinds of notebook cell nbformat knows (its <c>cell_type</c>).</summary>
public enum CellKind
{
    /// <summary>A cell of code that runs in a kernel (<c>"code"</c>) and keeps its outputs.</summary>
    Code,

    /// <summary>A cell of Markdown text (<c>"markdown"</c>).</summary>
    Markdown,

    /// <summary>A cell passed through unchanged by Jupyter tools (<c>"raw"</c>).</summary>
    Raw,
}
