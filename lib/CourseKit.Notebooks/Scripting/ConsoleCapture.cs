using System.Text;

namespace CourseKit.Notebooks;

/// <summary>
/// Sends <c>Console.Out</c> and <c>Console.Error</c> to the running cell's output, in order with its
/// displays. Installed once per process; outside a cell, text goes to the original console.
/// </summary>
internal sealed class ConsoleCapture : TextWriter
{
    private static readonly object Gate = new();
    private static bool _installed;
    private readonly string _stream;
    private readonly TextWriter _original;

    private ConsoleCapture(string stream, TextWriter original) => (_stream, _original) = (stream, original);

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Replaces the console's writers (once).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            Console.SetOut(new ConsoleCapture("stdout", Console.Out));
            Console.SetError(new ConsoleCapture("stderr", Console.Error));
            _installed = true;
        }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        if (Kernel.TryGetOutput() is { } output) output.Stream(_stream, value);
        else _original.Write(value);
    }

    public override void WriteLine(string? value) => Write((value ?? "") + Environment.NewLine);

    public override void Flush() => _original.Flush();
}
