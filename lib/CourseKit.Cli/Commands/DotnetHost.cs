namespace CourseKit.Cli.Commands;

/// <summary>The <c>dotnet</c> executable that runs this program, to start another process of it.</summary>
internal static class DotnetHost
{
    /// <summary>The SDK's host when running under it, this process's own when it is <c>dotnet</c>, else <c>dotnet</c> on the PATH.</summary>
    public static string Path =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath
        : System.IO.Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}
