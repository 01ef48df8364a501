namespace CourseKit.Tests;

/// <summary>The repository the tests run in.</summary>
internal static class Repository
{
    /// <summary>The folder holding CourseKit.sln (the library's own <see cref="DataDirectory.RepositoryRoot"/>).</summary>
    public static string Root => DataDirectory.RepositoryRoot
        ?? throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds CourseKit.sln and datasets/.");
}
