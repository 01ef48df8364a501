using System.Reflection;
using Microsoft.AspNetCore.Html;

namespace CourseKit;

/// <summary>
/// The notebook the library runs in, if any: shows a value as a new output and updates it in place later.
/// It finds the kernel's <c>display</c> helper by name — CourseKit's own engine and Jupyter kernel
/// (<c>CourseKit.Notebooks.Kernel</c>) or the .NET Interactive kernel of Polyglot Notebooks
/// (<c>Microsoft.DotNet.Interactive.Kernel</c>) — so the library needs neither at compile time.
/// </summary>
public static class NotebookDisplay
{
    private static readonly string[] KernelTypes = ["CourseKit.Notebooks.Kernel", "Microsoft.DotNet.Interactive.Kernel"];

    /// <summary>
    /// Shows <paramref name="html"/> as a new output of the running cell and returns a function that replaces
    /// it in place; null outside a notebook.
    /// </summary>
    public static Action<string>? ShowHtml(string html)
    {
        if (FindDisplay() is not { } display) return null;
        object? handle;
        try { handle = display.Invoke(null, [new HtmlString(html), Array.Empty<string>()]); }
        catch (TargetInvocationException) { return null; }        // the kernel is loaded, but no cell is running
        var update = handle?.GetType().GetMethod("Update", [typeof(object)]);
        if (update is null) return null;
        return html => update.Invoke(handle, [new HtmlString(html)]);
    }

    /// <summary><c>display(object, params string[])</c> of the first kernel type loaded in this process.</summary>
    private static MethodInfo? FindDisplay()
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            foreach (string name in KernelTypes)
                if (assembly.GetType(name, throwOnError: false) is { } kernel &&
                    kernel.GetMethod("display", BindingFlags.Public | BindingFlags.Static, [typeof(object), typeof(string[])]) is { } display)
                    return display;
        return null;
    }
}
