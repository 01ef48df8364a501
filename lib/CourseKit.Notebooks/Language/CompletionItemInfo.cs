namespace CourseKit.Notebooks;

/// <summary>One completion with what an editor shows beside it.</summary>
/// <param name="Text">The text inserted, e.g. <c>WriteLine</c>.</param>
/// <param name="Kind">What it names: <c>method</c>, <c>property</c>, <c>field</c>, <c>local</c>, <c>class</c>, <c>namespace</c>, <c>keyword</c>, …</param>
/// <param name="Signature">A one-line signature, e.g. <c>void Console.WriteLine() (+ 17 overloads)</c>; null when not worked out.</param>
public sealed record CompletionItemInfo(string Text, string Kind, string? Signature);
