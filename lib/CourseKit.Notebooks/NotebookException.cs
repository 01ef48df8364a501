namespace CourseKit.Notebooks;

/// <summary>A notebook that cannot be run as written: the message names the notebook, cell and line.</summary>
public sealed class NotebookException(string message, Exception? inner = null) : Exception(message, inner);
