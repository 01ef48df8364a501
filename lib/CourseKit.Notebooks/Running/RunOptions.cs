namespace CourseKit.Notebooks;

/// <summary>How to run a notebook.</summary>
/// <param name="Parameters">Values for the variables of the cell tagged <c>parameters</c>, as papermill's <c>-p name value</c>.</param>
/// <param name="CellTimeout">A wall-clock limit per cell; null for none.</param>
public sealed record RunOptions(IReadOnlyDictionary<string, string>? Parameters = null, TimeSpan? CellTimeout = null);

/// <summary>The outcome of running a notebook.</summary>
/// <param name="Succeeded">Every code cell ran without error.</param>
/// <param name="Cells">How many code cells ran (the failing one included).</param>
/// <param name="Elapsed">Wall-clock time.</param>
/// <param name="Error">For a failed run: which cell failed and why, e.g. <c>cell 4, line 2: error CS0103: …</c>.</param>
/// <param name="TimedOut">The failing cell hit the time limit (its session cannot continue).</param>
public sealed record NotebookRunResult(bool Succeeded, int Cells, TimeSpan Elapsed, string? Error = null, bool TimedOut = false);
