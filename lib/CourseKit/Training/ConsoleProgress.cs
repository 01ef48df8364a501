using System.Globalization;

namespace CourseKit;

/// <summary>
/// The plain progress display: one line per epoch, Keras-style, and every logged message —
/// <c>Epoch 3/10 · loss 0.0412 · acc 98.7% · val_loss 0.0390 · val_acc 98.9% · 12.3 s</c>.
/// </summary>
/// <param name="output">Where to write; null for the console.</param>
public sealed class ConsoleProgress(TextWriter? output = null) : Callback
{
    private TextWriter Output => output ?? Console.Out;

    /// <summary>Writes the epoch's line.</summary>
    public override bool OnEpochEnd(TrainingRun run, EpochRecord epoch)
    {
        Output.WriteLine(Line(epoch, run.Epochs));
        return false;
    }

    /// <summary>Writes the message on its own line.</summary>
    public override void OnMessage(TrainingRun run, string message) => Output.WriteLine(message);

    /// <summary>The line for <paramref name="epoch"/> out of <paramref name="epochs"/>.</summary>
    public static string Line(EpochRecord epoch, int epochs)
    {
        var parts = new List<string> { $"Epoch {epoch.Epoch}/{epochs}", Invariant($"loss {epoch.TrainLoss:0.0000}") };
        if (!float.IsNaN(epoch.TrainAccuracy)) parts.Add(Invariant($"acc {epoch.TrainAccuracy:0.0%}"));
        if (epoch.ValidationLoss is float loss) parts.Add(Invariant($"val_loss {loss:0.0000}"));
        if (epoch.ValidationAccuracy is float accuracy && !float.IsNaN(accuracy)) parts.Add(Invariant($"val_acc {accuracy:0.0%}"));
        parts.Add(Invariant($"{epoch.Seconds:0.0} s"));
        return string.Join(" · ", parts);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
