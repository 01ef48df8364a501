namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// A Polyglot cell may start with a magic line choosing its language (<c>#!csharp</c>, <c>#!c#</c>); the kernel
/// runs C# only, so that line is dropped and any other language is refused.
/// </summary>
internal static class CellMagic
{
    /// <summary>The C# code after a <c>#!csharp</c> line and the line it starts on; <paramref name="otherKernel"/> names a language the kernel cannot run.</summary>
    public static (string Code, int FirstLine) Strip(string code, out string? otherKernel)
    {
        int end = code.IndexOf('\n');
        string? kernel = KernelNames.FromMagic(end < 0 ? code : code[..end], notebookMetadata: null);
        otherKernel = kernel is null or "csharp" ? null : kernel;
        return kernel is null ? (code, 1) : (end < 0 ? "" : code[(end + 1)..], 2);
    }
}
