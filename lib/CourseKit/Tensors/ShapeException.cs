namespace CourseKit;

/// <summary>
/// Thrown when tensor shapes do not fit together. The message names the layer or operation and
/// both shapes, e.g. <c>Linear(400 → 120): expected input (N, 400), got (64, 256)</c>.
/// </summary>
public sealed class ShapeException(string message) : ArgumentException(message);
