using System.CommandLine;
using CourseKit.Cli.Commands;

// coursekit — the course kit's command line. Each command lives in Commands/.
var root = new RootCommand("CourseKit: a C# course kit for convolutional neural networks.")
{
    DataCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
