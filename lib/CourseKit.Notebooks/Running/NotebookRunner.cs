using System.Diagnostics;

namespace CourseKit.Notebooks;

/// <summary>
/// Runs a whole notebook in this process: every C# cell in order in one <see cref="ScriptSession"/>, outputs
/// written into the cells, stopping at the first failing cell (as <c>jupyter nbconvert --execute</c> does).
/// </summary>
public static class NotebookRunner
{
    /// <summary>
    /// Runs <paramref name="notebook"/>, replacing the outputs and execution counts of its code cells.
    /// </summary>
    /// <param name="notebook">The notebook; its cells receive the outputs.</param>
    /// <param name="workingDirectory">Where relative paths start: the notebook's folder, as in VS Code.</param>
    /// <param name="options">Parameters and the per-cell time limit.</param>
    /// <param name="cellStarting">Called before each code cell runs, with its name (e.g. for progress lines).</param>
    /// <param name="cellFinished">Called after each code cell, e.g. to save the notebook so far.</param>
    public static NotebookRunResult Run(NotebookDocument notebook, string workingDirectory, RunOptions? options = null,
                                        Action<string>? cellStarting = null, Action<NotebookDocument>? cellFinished = null)
    {
        options ??= new RunOptions();
        var clock = Stopwatch.StartNew();
        foreach (var cell in notebook.Cells.Where(c => c.Kind == CellKind.Code))
        {
            cell.Outputs.Clear();
            cell.ExecutionCount = null;
        }
        var parameters = options.Parameters is { Count: > 0 } given ? given : null;
        int parametersCell = notebook.Cells.ToList().FindIndex(c => c.Tags.Contains(Parameters.Tag));
        if (parameters is not null && parametersCell < 0)
            return new NotebookRunResult(false, 0, clock.Elapsed, $"parameters were given, but no cell is tagged '{Parameters.Tag}'.");

        using var session = new ScriptSession(workingDirectory);
        int executed = 0;
        for (int i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            if (cell.Kind != CellKind.Code) continue;
            string name = $"cell {i + 1}";
            string kernel = cell.KernelName(notebook.DefaultKernelName);
            if (kernel == "markdown") continue;
            cellStarting?.Invoke(name);
            executed++;
            cell.ExecutionCount = executed;
            var output = new NotebookOutputs(notebook, cell, executed);
            CellResult result;
            if (kernel != "csharp")
            {
                string message = $"{name}: its language is '{kernel}', and CourseKit's engine runs only C# cells (and markdown).";
                output.Error("UnsupportedLanguage", message, [message]);
                result = new CellResult(CellStatus.Failed, TimeSpan.Zero, message);
            }
            else
            {
                result = session.Run(cell.Code, name, output, cell.CodeFirstLine, options.CellTimeout);
            }

            if (result.Status == CellStatus.Succeeded && i == parametersCell && parameters is not null)
            {
                try
                {
                    notebook.InsertCode(i + 1, Parameters.Assignments(parameters, session.Variables, name), Parameters.InjectedTag);
                }
                catch (NotebookException e)
                {
                    output.Error("ParameterError", e.Message, [e.Message]);
                    result = new CellResult(CellStatus.Failed, result.Elapsed, $"{name}: {e.Message}");
                }
            }
            cellFinished?.Invoke(notebook);
            if (result.Status != CellStatus.Succeeded)
                return new NotebookRunResult(false, executed, clock.Elapsed, result.Error ?? $"{name} failed.", result.Status == CellStatus.TimedOut);
        }
        return new NotebookRunResult(true, executed, clock.Elapsed);
    }
}
