using System.Text;

namespace CourseKit.Notebooks;

/// <summary>
/// Sends <c>Console.Out</c> and <c>Console.Error</c> to the running cell's output, in order with its
/// displays, and reads <c>Console.In</c> from it: a cell's <c>Console.ReadLine()</c> asks the frontend when the
/// output is an <see cref="ICellInput"/> and gets null when it is not. Installed once per process; outside a
/// cell, the original console is used.
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
            Console.SetIn(new Input(Console.In));
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

    /// <summary><c>Console.In</c> during cells: whole lines from the cell's <see cref="ICellInput"/>, handed out as they are read.</summary>
    private sealed class Input(TextReader original) : TextReader
    {
        private string? _rest;                                              // what Read() has not yet taken of the last line

        public override string? ReadLine()
        {
            if (_rest is { } rest) { _rest = null; return rest.EndsWith('\n') ? rest[..^1] : rest; }
            return Kernel.TryGetOutput() switch
            {
                null => original.ReadLine(),
                ICellInput input => input.ReadLine("", password: false),
                _ => null,
            };
        }

        public override int Peek() => Fill() ? _rest![0] : -1;

        public override int Read()
        {
            if (!Fill()) return -1;
            char next = _rest![0];
            _rest = _rest.Length > 1 ? _rest[1..] : null;
            return next;
        }

        /// <summary>Reads the next line into <see cref="_rest"/> (with its line break) when it is empty; false at the end of input.</summary>
        private bool Fill()
        {
            if (_rest is null && ReadLine() is { } line) _rest = line + "\n";
            return _rest is not null;
        }
    }
}
