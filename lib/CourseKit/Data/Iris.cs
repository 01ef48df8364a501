namespace CourseKit;

/// <summary>Fisher's Iris data: the measurements, the species of each flower, and the names of both.</summary>
/// <param name="Features">The four measurements of each flower, in centimetres: (150, 4).</param>
/// <param name="Labels">The species of each flower as a class index 0, 1 or 2 stored as a float: (150).</param>
/// <param name="ClassNames">The species, by label: setosa, versicolor, virginica.</param>
/// <param name="FeatureNames">The measurements, by column: sepal length, sepal width, petal length, petal width (cm).</param>
public sealed record IrisData(Tensor Features, Tensor Labels, IReadOnlyList<string> ClassNames, IReadOnlyList<string> FeatureNames);

/// <summary>
/// Fisher's Iris flowers (R. A. Fisher, "The use of multiple measurements in taxonomic problems",
/// Annals of Eugenics 7, 1936; measurements by Edgar Anderson): 150 flowers, 50 of each of three species,
/// four measurements each. The first lecture's dataset: small enough to print, and one species is
/// linearly separable from the other two. The values are Fisher's, as in R and scikit-learn (the UCI copy
/// differs in two rows); they are built into the library, so no file is needed.
/// </summary>
/// <example><code>
/// var (x, y, classNames, featureNames) = Iris.Load();   // x (150, 4), y (150)
/// </code></example>
public static class Iris
{
    /// <summary>The species, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["setosa", "versicolor", "virginica"];

    /// <summary>The measurements, by column.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } =
        ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"];

    /// <summary>The 150 flowers: features (150, 4) and labels (150), in the original order (50 setosa, 50 versicolor, 50 virginica).</summary>
    public static IrisData Load()
    {
        var labels = new float[Measurements.GetLength(0)];
        for (int i = 0; i < labels.Length; i++) labels[i] = i / 50;          // the rows come 50 per species, in label order
        return new IrisData(Tensor.From(Measurements), Tensor.FromArray(labels, labels.Length), ClassNames, FeatureNames);
    }

    /// <summary>Sepal length, sepal width, petal length, petal width (cm) of each flower.</summary>
    private static readonly float[,] Measurements =
    {
        // setosa (label 0)
        { 5.1f, 3.5f, 1.4f, 0.2f },
        { 4.9f, 3.0f, 1.4f, 0.2f },
        { 4.7f, 3.2f, 1.3f, 0.2f },
        { 4.6f, 3.1f, 1.5f, 0.2f },
        { 5.0f, 3.6f, 1.4f, 0.2f },
        { 5.4f, 3.9f, 1.7f, 0.4f },
        { 4.6f, 3.4f, 1.4f, 0.3f },
        { 5.0f, 3.4f, 1.5f, 0.2f },
        { 4.4f, 2.9f, 1.4f, 0.2f },
        { 4.9f, 3.1f, 1.5f, 0.1f },
        { 5.4f, 3.7f, 1.5f, 0.2f },
        { 4.8f, 3.4f, 1.6f, 0.2f },
        { 4.8f, 3.0f, 1.4f, 0.1f },
        { 4.3f, 3.0f, 1.1f, 0.1f },
        { 5.8f, 4.0f, 1.2f, 0.2f },
        { 5.7f, 4.4f, 1.5f, 0.4f },
        { 5.4f, 3.9f, 1.3f, 0.4f },
        { 5.1f, 3.5f, 1.4f, 0.3f },
        { 5.7f, 3.8f, 1.7f, 0.3f },
        { 5.1f, 3.8f, 1.5f, 0.3f },
        { 5.4f, 3.4f, 1.7f, 0.2f },
        { 5.1f, 3.7f, 1.5f, 0.4f },
        { 4.6f, 3.6f, 1.0f, 0.2f },
        { 5.1f, 3.3f, 1.7f, 0.5f },
        { 4.8f, 3.4f, 1.9f, 0.2f },
        { 5.0f, 3.0f, 1.6f, 0.2f },
        { 5.0f, 3.4f, 1.6f, 0.4f },
        { 5.2f, 3.5f, 1.5f, 0.2f },
        { 5.2f, 3.4f, 1.4f, 0.2f },
        { 4.7f, 3.2f, 1.6f, 0.2f },
        { 4.8f, 3.1f, 1.6f, 0.2f },
        { 5.4f, 3.4f, 1.5f, 0.4f },
        { 5.2f, 4.1f, 1.5f, 0.1f },
        { 5.5f, 4.2f, 1.4f, 0.2f },
        { 4.9f, 3.1f, 1.5f, 0.2f },
        { 5.0f, 3.2f, 1.2f, 0.2f },
        { 5.5f, 3.5f, 1.3f, 0.2f },
        { 4.9f, 3.6f, 1.4f, 0.1f },
        { 4.4f, 3.0f, 1.3f, 0.2f },
        { 5.1f, 3.4f, 1.5f, 0.2f },
        { 5.0f, 3.5f, 1.3f, 0.3f },
        { 4.5f, 2.3f, 1.3f, 0.3f },
        { 4.4f, 3.2f, 1.3f, 0.2f },
        { 5.0f, 3.5f, 1.6f, 0.6f },
        { 5.1f, 3.8f, 1.9f, 0.4f },
        { 4.8f, 3.0f, 1.4f, 0.3f },
        { 5.1f, 3.8f, 1.6f, 0.2f },
        { 4.6f, 3.2f, 1.4f, 0.2f },
        { 5.3f, 3.7f, 1.5f, 0.2f },
        { 5.0f, 3.3f, 1.4f, 0.2f },
        // versicolor (label 1)
        { 7.0f, 3.2f, 4.7f, 1.4f },
        { 6.4f, 3.2f, 4.5f, 1.5f },
        { 6.9f, 3.1f, 4.9f, 1.5f },
        { 5.5f, 2.3f, 4.0f, 1.3f },
        { 6.5f, 2.8f, 4.6f, 1.5f },
        { 5.7f, 2.8f, 4.5f, 1.3f },
        { 6.3f, 3.3f, 4.7f, 1.6f },
        { 4.9f, 2.4f, 3.3f, 1.0f },
        { 6.6f, 2.9f, 4.6f, 1.3f },
        { 5.2f, 2.7f, 3.9f, 1.4f },
        { 5.0f, 2.0f, 3.5f, 1.0f },
        { 5.9f, 3.0f, 4.2f, 1.5f },
        { 6.0f, 2.2f, 4.0f, 1.0f },
        { 6.1f, 2.9f, 4.7f, 1.4f },
        { 5.6f, 2.9f, 3.6f, 1.3f },
        { 6.7f, 3.1f, 4.4f, 1.4f },
        { 5.6f, 3.0f, 4.5f, 1.5f },
        { 5.8f, 2.7f, 4.1f, 1.0f },
        { 6.2f, 2.2f, 4.5f, 1.5f },
        { 5.6f, 2.5f, 3.9f, 1.1f },
        { 5.9f, 3.2f, 4.8f, 1.8f },
        { 6.1f, 2.8f, 4.0f, 1.3f },
        { 6.3f, 2.5f, 4.9f, 1.5f },
        { 6.1f, 2.8f, 4.7f, 1.2f },
        { 6.4f, 2.9f, 4.3f, 1.3f },
        { 6.6f, 3.0f, 4.4f, 1.4f },
        { 6.8f, 2.8f, 4.8f, 1.4f },
        { 6.7f, 3.0f, 5.0f, 1.7f },
        { 6.0f, 2.9f, 4.5f, 1.5f },
        { 5.7f, 2.6f, 3.5f, 1.0f },
        { 5.5f, 2.4f, 3.8f, 1.1f },
        { 5.5f, 2.4f, 3.7f, 1.0f },
        { 5.8f, 2.7f, 3.9f, 1.2f },
        { 6.0f, 2.7f, 5.1f, 1.6f },
        { 5.4f, 3.0f, 4.5f, 1.5f },
        { 6.0f, 3.4f, 4.5f, 1.6f },
        { 6.7f, 3.1f, 4.7f, 1.5f },
        { 6.3f, 2.3f, 4.4f, 1.3f },
        { 5.6f, 3.0f, 4.1f, 1.3f },
        { 5.5f, 2.5f, 4.0f, 1.3f },
        { 5.5f, 2.6f, 4.4f, 1.2f },
        { 6.1f, 3.0f, 4.6f, 1.4f },
        { 5.8f, 2.6f, 4.0f, 1.2f },
        { 5.0f, 2.3f, 3.3f, 1.0f },
        { 5.6f, 2.7f, 4.2f, 1.3f },
        { 5.7f, 3.0f, 4.2f, 1.2f },
        { 5.7f, 2.9f, 4.2f, 1.3f },
        { 6.2f, 2.9f, 4.3f, 1.3f },
        { 5.1f, 2.5f, 3.0f, 1.1f },
        { 5.7f, 2.8f, 4.1f, 1.3f },
        // virginica (label 2)
        { 6.3f, 3.3f, 6.0f, 2.5f },
        { 5.8f, 2.7f, 5.1f, 1.9f },
        { 7.1f, 3.0f, 5.9f, 2.1f },
        { 6.3f, 2.9f, 5.6f, 1.8f },
        { 6.5f, 3.0f, 5.8f, 2.2f },
        { 7.6f, 3.0f, 6.6f, 2.1f },
        { 4.9f, 2.5f, 4.5f, 1.7f },
        { 7.3f, 2.9f, 6.3f, 1.8f },
        { 6.7f, 2.5f, 5.8f, 1.8f },
        { 7.2f, 3.6f, 6.1f, 2.5f },
        { 6.5f, 3.2f, 5.1f, 2.0f },
        { 6.4f, 2.7f, 5.3f, 1.9f },
        { 6.8f, 3.0f, 5.5f, 2.1f },
        { 5.7f, 2.5f, 5.0f, 2.0f },
        { 5.8f, 2.8f, 5.1f, 2.4f },
        { 6.4f, 3.2f, 5.3f, 2.3f },
        { 6.5f, 3.0f, 5.5f, 1.8f },
        { 7.7f, 3.8f, 6.7f, 2.2f },
        { 7.7f, 2.6f, 6.9f, 2.3f },
        { 6.0f, 2.2f, 5.0f, 1.5f },
        { 6.9f, 3.2f, 5.7f, 2.3f },
        { 5.6f, 2.8f, 4.9f, 2.0f },
        { 7.7f, 2.8f, 6.7f, 2.0f },
        { 6.3f, 2.7f, 4.9f, 1.8f },
        { 6.7f, 3.3f, 5.7f, 2.1f },
        { 7.2f, 3.2f, 6.0f, 1.8f },
        { 6.2f, 2.8f, 4.8f, 1.8f },
        { 6.1f, 3.0f, 4.9f, 1.8f },
        { 6.4f, 2.8f, 5.6f, 2.1f },
        { 7.2f, 3.0f, 5.8f, 1.6f },
        { 7.4f, 2.8f, 6.1f, 1.9f },
        { 7.9f, 3.8f, 6.4f, 2.0f },
        { 6.4f, 2.8f, 5.6f, 2.2f },
        { 6.3f, 2.8f, 5.1f, 1.5f },
        { 6.1f, 2.6f, 5.6f, 1.4f },
        { 7.7f, 3.0f, 6.1f, 2.3f },
        { 6.3f, 3.4f, 5.6f, 2.4f },
        { 6.4f, 3.1f, 5.5f, 1.8f },
        { 6.0f, 3.0f, 4.8f, 1.8f },
        { 6.9f, 3.1f, 5.4f, 2.1f },
        { 6.7f, 3.1f, 5.6f, 2.4f },
        { 6.9f, 3.1f, 5.1f, 2.3f },
        { 5.8f, 2.7f, 5.1f, 1.9f },
        { 6.8f, 3.2f, 5.9f, 2.3f },
        { 6.7f, 3.3f, 5.7f, 2.5f },
        { 6.7f, 3.0f, 5.2f, 2.3f },
        { 6.3f, 2.5f, 5.0f, 1.9f },
        { 6.5f, 3.0f, 5.2f, 2.0f },
        { 6.2f, 3.4f, 5.4f, 2.3f },
        { 5.9f, 3.0f, 5.1f, 1.8f },
    };
}
