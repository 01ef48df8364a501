namespace CourseKit;

/// <summary>A sample the model got wrong, as listed by <see cref="EvaluationResult.Misclassified"/>.</summary>
/// <param name="Index">The sample's index in the dataset (e.g. for <c>dataset.Image(Index)</c>).</param>
/// <param name="TrueClass">Its label.</param>
/// <param name="PredictedClass">The class with the highest score.</param>
/// <param name="Confidence">The softmax probability (0–1) the model gave its wrong answer.</param>
public readonly record struct Misclassification(int Index, int TrueClass, int PredictedClass, float Confidence);
