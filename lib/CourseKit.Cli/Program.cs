using CourseKit.Cli;

return await CliApp.Build().Parse(args).InvokeAsync();
