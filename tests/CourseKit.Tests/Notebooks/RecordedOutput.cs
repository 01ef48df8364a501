using CourseKit.Notebooks;

namespace CourseKit.Tests.Notebooks;

/// <summary>Records what a cell sends to its output, in order, as short readable lines.</summary>
internal sealed class RecordedOutput : ICellOutput
{
    public List<string> Events { get; } = [];
    public List<IReadOnlyDictionary<string, string>> Bundles { get; } = [];

    public void Stream(string name, string text) => Events.Add($"{name}: {text}");
    public void Display(IReadOnlyDictionary<string, string> bundle, string displayId) => Add("display", bundle);
    public void UpdateDisplay(IReadOnlyDictionary<string, string> bundle, string displayId) => Add("update", bundle);
    public void Result(IReadOnlyDictionary<string, string> bundle) => Add("result", bundle);
    public void Error(string name, string message, IReadOnlyList<string> traceback) => Events.Add($"error {name}: {message}");

    private void Add(string kind, IReadOnlyDictionary<string, string> bundle)
    {
        Bundles.Add(bundle);
        Events.Add($"{kind}: {bundle.GetValueOrDefault("text/plain") ?? bundle.GetValueOrDefault("text/html")}");
    }
}
