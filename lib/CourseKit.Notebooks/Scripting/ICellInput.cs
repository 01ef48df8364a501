namespace CourseKit.Notebooks;

/// <summary>
/// A cell output that can also ask the person running the notebook for a line of text: the Jupyter kernel
/// sends an <c>input_request</c> to the frontend. <c>Console.ReadLine()</c> in a cell comes here.
/// </summary>
public interface ICellInput
{
    /// <summary>Shows <paramref name="prompt"/>, waits for a line (hidden when <paramref name="password"/>) and returns it; null when the frontend cannot answer.</summary>
    string? ReadLine(string prompt, bool password);
}
