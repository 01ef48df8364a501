using Microsoft.AspNetCore.Html;

namespace CourseKit.Notebooks;

/// <summary>
/// The helpers a notebook cell sees without qualification, as in the .NET Interactive C# kernel
/// (<c>using static Microsoft.DotNet.Interactive.Kernel;</c>): <c>display(value)</c>, <c>HTML("…")</c>,
/// <c>Javascript("…")</c>. They write to the cell that is running.
/// </summary>
public static class Kernel
{
    private static readonly AsyncLocal<ICellOutput?> CurrentOutput = new();
    private static volatile ICellOutput? _lastOutput;
    private static readonly AsyncLocal<CancellationToken> CurrentCancellation = new();
    private static CancellationToken _lastCancellation;

    /// <summary>Shows <paramref name="value"/> as a new output and returns a handle to update it in place.</summary>
    /// <param name="value">Any value; charts, tensors and tables use the formatters registered for their type.</param>
    /// <param name="mimeTypes">The MIME types to format it as (default: the type's preferred ones plus text/plain).</param>
#pragma warning disable IDE1006 // lower case, as in the .NET Interactive kernel
    public static DisplayedValue display(object? value, params string[] mimeTypes)
#pragma warning restore IDE1006
    {
        var output = Output;
        var types = mimeTypes.Length > 0 ? mimeTypes : (IReadOnlyCollection<string>)[];
        var shown = new DisplayedValue(output, Guid.NewGuid().ToString("N"), types);
        output.Display(MimeBundle.From(value, types), shown.DisplayId);
        return shown;
    }

    /// <summary>Marks <paramref name="content"/> as HTML, so that a cell returning it shows it rendered.</summary>
    public static IHtmlContent HTML(string content) => new HtmlString(content);

    /// <summary>Runs <paramref name="code"/> in the notebook's page (a <c>&lt;script&gt;</c> output).</summary>
    public static void Javascript(string code) =>
        Output.Display(new Dictionary<string, string> { ["text/html"] = $"<script type=\"text/javascript\">{code}</script>" },
                       Guid.NewGuid().ToString("N"));

    /// <summary>
    /// The running cell's cancellation token, signalled when the cell is interrupted (the stop button);
    /// <see cref="CancellationToken.None"/> outside a cell. Long loops check it to stop cleanly.
    /// </summary>
    public static CancellationToken CellCancellation => CurrentCancellation.Value.CanBeCanceled ? CurrentCancellation.Value : _lastCancellation;

    /// <summary>The output of the running cell; code on threads the cell started writes there too.</summary>
    internal static ICellOutput Output =>
        TryGetOutput() ?? throw new InvalidOperationException("display() works only while a notebook cell runs.");

    /// <summary>The running cell's output, or null outside cells.</summary>
    internal static ICellOutput? TryGetOutput() => CurrentOutput.Value ?? _lastOutput;

    /// <summary>
    /// Routes display calls of the cell about to run (and of threads it starts) to <paramref name="output"/>
    /// and makes <paramref name="cancellation"/> its <see cref="CellCancellation"/>.
    /// </summary>
    internal static void SetOutput(ICellOutput? output, CancellationToken cancellation = default)
    {
        CurrentOutput.Value = output;
        _lastOutput = output;
        CurrentCancellation.Value = cancellation;
        _lastCancellation = cancellation;
    }
}
