using System.CommandLine;
using CourseKit.Cli.Commands;

namespace CourseKit.Cli;

/// <summary>coursekit — the course kit's command line. Each command lives in Commands/.</summary>
internal static class CliApp
{
    public static RootCommand Build() => new("CourseKit: a C# course kit for convolutional neural networks.")
    {
        TrainCommand.Create(),
        DataCommand.Create(),
        RunCommand.Create(),
        ExportCommand.Create(),
        KernelCommand.Create(),

    };
}
