namespace CourseKit;

/// <summary>
/// A dataset is in none of the places searched (see <see cref="DataDirectory"/>). The message lists every
/// place, in the order searched, and says how to get the data.
/// </summary>
public sealed class DatasetNotFoundException : FileNotFoundException
{
    /// <summary>The folders searched, in order, each with where it came from.</summary>
    public IReadOnlyList<string> Searched { get; }

    /// <summary>Creates the exception.</summary>
    /// <param name="dataset">The dataset, e.g. <c>MNIST (train)</c>.</param>
    /// <param name="lookingFor">The files looked for.</param>
    /// <param name="searched">The folders searched, in order.</param>
    /// <param name="howToGet">What to do about it.</param>
    public DatasetNotFoundException(string dataset, string lookingFor, IReadOnlyList<string> searched, string howToGet)
        : base($"{dataset} was not found. Looked for {lookingFor} in:{Environment.NewLine}" +
               string.Concat(searched.Select((s, i) => $"  {i + 1}. {s}{Environment.NewLine}")) + howToGet)
    {
        Searched = searched;
    }
}
