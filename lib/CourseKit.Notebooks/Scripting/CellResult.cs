namespace CourseKit.Notebooks;

/// <summary>How a cell ended.</summary>
public enum CellStatus
{
    /// <summary>It ran to the end.</summary>
    Succeeded,
    /// <summary>It did not compile, a directive was wrong, or it threw; the error is in its outputs.</summary>
    Failed,
    /// <summary>It was still running when its time limit passed; the session cannot run more cells.</summary>
    TimedOut,
    /// <summary>It was interrupted (cancellation) and stopped.</summary>
    Cancelled,
}

/// <summary>The outcome of running one cell.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Elapsed">Wall-clock time it ran.</param>
/// <param name="Error">A one-line description of the failure for logs, e.g. <c>cell 3, line 2: error CS0103: …</c>.</param>
public sealed record CellResult(CellStatus Status, TimeSpan Elapsed, string? Error = null);
