namespace CourseKit.Notebooks;

/// <summary>
/// Where a running cell's outputs go, in the order they happen: the notebook runner turns them into the
/// cell's saved outputs, the Jupyter kernel into iopub messages. A MIME bundle maps a MIME type
/// (<c>text/html</c>, <c>text/plain</c>, …) to its text.
/// </summary>
public interface ICellOutput
{
    /// <summary>Text written to <c>stdout</c> or <c>stderr</c>.</summary>
    void Stream(string name, string text);

    /// <summary>A value shown with <c>display(…)</c>; <paramref name="displayId"/> identifies it for later updates.</summary>
    void Display(IReadOnlyDictionary<string, string> bundle, string displayId);

    /// <summary>Replaces what an earlier <see cref="Display"/> with the same id shows (in any cell).</summary>
    void UpdateDisplay(IReadOnlyDictionary<string, string> bundle, string displayId);

    /// <summary>The value of the cell's last expression.</summary>
    void Result(IReadOnlyDictionary<string, string> bundle);

    /// <summary>A compile error or an exception that ended the cell.</summary>
    void Error(string name, string message, IReadOnlyList<string> traceback);
}
