using Spectre.Console;

namespace CourseKit.Cli.Commands;

/// <summary>
/// Shows training in a terminal: a Spectre.Console progress bar per epoch with the running loss,
/// accuracy and speed, and one summary line per finished epoch. Must run inside <c>AnsiConsole.Progress().Start</c>.
/// </summary>
internal sealed class SpectreProgress(ProgressContext context) : Callback
{
    private ProgressTask? _task;

    public override void OnEpochBegin(TrainingRun run, int epoch) =>
        _task = context.AddTask($"epoch {epoch}/{run.Epochs}", maxValue: run.StepsPerEpoch);

    public override void OnStepEnd(TrainingRun run, StepProgress step)
    {
        if (_task is null) return;
        _task.Value = step.Step;
        _task.Description = $"epoch {step.Epoch}/{step.Epochs} · loss {step.RunningLoss:0.0000} · acc {step.RunningAccuracy:P1} · {step.ImagesPerSecond:N0} img/s";
    }

    public override bool OnEpochEnd(TrainingRun run, EpochRecord epoch)
    {
        if (_task is not null) { _task.Value = _task.MaxValue; _task.StopTask(); }
        AnsiConsole.MarkupLine(Markup.Escape(ConsoleProgress.Line(epoch, run.Epochs)));
        return false;
    }

    public override void OnMessage(TrainingRun run, string message) => AnsiConsole.MarkupLine(Markup.Escape(message));
}
