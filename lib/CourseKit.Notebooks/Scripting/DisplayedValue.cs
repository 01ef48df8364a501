namespace CourseKit.Notebooks;

/// <summary>
/// A value shown with <see cref="Kernel.display"/>: <see cref="Update"/> replaces it in place, which is how a
/// training loop shows live progress in one output instead of thousands of lines.
/// </summary>
public sealed class DisplayedValue
{
    private readonly ICellOutput _output;
    private readonly IReadOnlyCollection<string> _mimeTypes;

    internal DisplayedValue(ICellOutput output, string displayId, IReadOnlyCollection<string> mimeTypes)
    {
        (_output, DisplayId, _mimeTypes) = (output, displayId, mimeTypes);
    }

    /// <summary>The id the notebook knows this output by.</summary>
    public string DisplayId { get; }

    /// <summary>Shows <paramref name="updatedValue"/> in place of the current value.</summary>
    public void Update(object? updatedValue) => _output.UpdateDisplay(MimeBundle.From(updatedValue, _mimeTypes), DisplayId);
}
