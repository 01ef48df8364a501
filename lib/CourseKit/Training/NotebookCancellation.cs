using System.Reflection;

namespace CourseKit;

/// <summary>
/// The cancellation token of the notebook cell that is running, so that interrupting the cell (the stop
/// button) stops <see cref="Trainer.Fit"/> and <see cref="Trainer.Evaluate"/> at the next step. Found by name,
/// like <see cref="NotebookDisplay"/>: CourseKit's engine and kernel (<c>CourseKit.Notebooks.Kernel.CellCancellation</c>)
/// or .NET Interactive (<c>KernelInvocationContext.Current.CancellationToken</c>); none outside notebooks.
/// </summary>
internal static class NotebookCancellation
{
    /// <summary>The running cell's token, or <see cref="CancellationToken.None"/>.</summary>
    public static CancellationToken Current
    {
        get
        {
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (assembly.GetType("CourseKit.Notebooks.Kernel", throwOnError: false)?
                        .GetProperty("CellCancellation", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is CancellationToken token)
                    return token;
                if (assembly.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext", throwOnError: false) is { } context &&
                    context.GetProperty("Current", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is { } current &&
                    current.GetType().GetProperty("CancellationToken")?.GetValue(current) is CancellationToken interactive)
                    return interactive;
            }
            return CancellationToken.None;
        }
    }

    /// <summary><paramref name="token"/> combined with the running cell's token (or just it outside notebooks).</summary>
    public static CancellationTokenSource Link(CancellationToken token) =>
        CancellationTokenSource.CreateLinkedTokenSource(token, Current);
}
