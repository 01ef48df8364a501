using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace CourseKit;

/// <summary>
/// Training progress in a notebook: one output, updated in place a few times a second — the epoch's progress
/// bar, running loss and accuracy, speed and time left, and a row per finished epoch — instead of thousands of
/// printed lines. Outside a notebook it prints <see cref="ConsoleProgress"/>'s lines instead.
/// This is what <see cref="Trainer.Fit"/> shows by default.
/// </summary>
/// <param name="refreshSeconds">The least time between two updates of the output (epoch ends always update).</param>
public sealed class NotebookProgress(double refreshSeconds = 0.5) : Callback
{
    private readonly ConsoleProgress _console = new();
    private readonly List<string> _rows = [];
    private readonly List<string> _messages = [];
    private readonly Stopwatch _sinceUpdate = new();
    private Action<string>? _update;
    private string _status = "starting…";

    /// <summary>Shows the (empty) progress output, or falls back to the console outside a notebook.</summary>
    public override void OnTrainBegin(TrainingRun run)
    {
        _update = NotebookDisplay.ShowHtml(Html(run));
        _sinceUpdate.Restart();
    }

    /// <summary>Moves the bar, at most every <c>refreshSeconds</c>.</summary>
    public override void OnStepEnd(TrainingRun run, StepProgress step)
    {
        if (_update is null || (_sinceUpdate.Elapsed.TotalSeconds < refreshSeconds && step.Step < step.StepsPerEpoch)) return;
        double left = step.ImagesPerSecond > 0 ? (step.StepsPerEpoch - step.Step) * (double)step.BatchSize / step.ImagesPerSecond : 0;
        var parts = new List<string>
        {
            $"Epoch {step.Epoch}/{step.Epochs}",
            $"<progress value=\"{step.Step}\" max=\"{step.StepsPerEpoch}\" style=\"width:16em;vertical-align:middle\"></progress> {step.Step}/{step.StepsPerEpoch}",
            Invariant($"loss {step.RunningLoss:0.0000}"),
        };
        if (!float.IsNaN(step.RunningAccuracy)) parts.Add(Invariant($"acc {step.RunningAccuracy:0.0%}"));
        parts.Add(Invariant($"{step.ImagesPerSecond:#,0} img/s"));
        parts.Add(Invariant($"{TimeSpan.FromSeconds(left):m\\:ss} left in epoch"));
        _status = string.Join(" · ", parts);
        Refresh(run);
    }

    /// <summary>Adds the epoch's row.</summary>
    public override bool OnEpochEnd(TrainingRun run, EpochRecord epoch)
    {
        if (_update is null) return _console.OnEpochEnd(run, epoch);
        _rows.Add(Row(epoch));
        _status = epoch.Epoch < run.Epochs ? $"Epoch {epoch.Epoch}/{run.Epochs} done." : "Done.";
        Refresh(run);
        return false;
    }

    /// <summary>Marks the end (also after an early stop).</summary>
    public override void OnTrainEnd(TrainingRun run)
    {
        if (_update is null) return;
        _status = $"Done: {run.History.Epochs.Count} epoch{(run.History.Epochs.Count == 1 ? "" : "s")}.";
        Refresh(run);
    }

    /// <summary>Shows the message under the table, e.g. "restored best weights from epoch 4".</summary>
    public override void OnMessage(TrainingRun run, string message)
    {
        if (_update is null) { _console.OnMessage(run, message); return; }
        _messages.Add(WebUtility.HtmlEncode(message));
        Refresh(run);
    }

    private void Refresh(TrainingRun run)
    {
        _update!(Html(run));
        _sinceUpdate.Restart();
    }

    private string Html(TrainingRun run)
    {
        var html = new StringBuilder("<div class=\"coursekit-progress\" style=\"font-family:monospace;font-size:13px\">\n");
        html.Append("<div>").Append(_status).Append("</div>\n");
        if (_rows.Count > 0)
        {
            html.Append("<table style=\"margin-top:4px\"><tr><th>epoch</th><th>loss</th><th>acc</th><th>val_loss</th><th>val_acc</th><th>lr</th><th>time</th></tr>\n");
            foreach (string row in _rows) html.Append(row);
            html.Append("</table>\n");
        }
        foreach (string message in _messages) html.Append("<div>").Append(message).Append("</div>\n");
        return html.Append("</div>").ToString();
    }

    private static string Row(EpochRecord e)
    {
        static string Cell(string text) => $"<td style=\"text-align:right\">{text}</td>";
        static string Percent(float? v) => v is float f && !float.IsNaN(f) ? Invariant($"{f:0.00%}") : "";
        return "<tr>" + Cell($"{e.Epoch}") + Cell(Invariant($"{e.TrainLoss:0.0000}")) + Cell(Percent(e.TrainAccuracy))
             + Cell(e.ValidationLoss is float l ? Invariant($"{l:0.0000}") : "") + Cell(Percent(e.ValidationAccuracy))
             + Cell(Invariant($"{e.LearningRate:G3}")) + Cell(Invariant($"{e.Seconds:0.0} s")) + "</tr>\n";
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
