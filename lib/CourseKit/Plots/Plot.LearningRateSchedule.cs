using Plotly.NET;

namespace CourseKit;

public static partial class Plot
{
    /// <summary>The learning rate α(t) a schedule gives for epochs 0 … <paramref name="epochs"/> − 1 (the optimiser is not changed).</summary>
    public static GenericChart LearningRateSchedule(LearningRateSchedule schedule, int epochs)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return LearningRateSchedule(schedule.LearningRateAt, epochs, schedule.GetType().Name);
    }

    /// <summary>The learning rate given by any rule <paramref name="learningRateAt"/>(epoch), for epochs 0 … <paramref name="epochs"/> − 1.</summary>
    public static GenericChart LearningRateSchedule(Func<int, float> learningRateAt, int epochs, string name = "schedule")
    {
        ArgumentNullException.ThrowIfNull(learningRateAt);
        if (epochs <= 0) throw new ArgumentException($"Plot.LearningRateSchedule: epochs must be positive, got {epochs}.");
        var epochNumbers = Enumerable.Range(0, epochs).ToArray();
        var trace = Figure.Trace("scatter", ("name", name), ("mode", "lines+markers"),
            ("x", epochNumbers), ("y", epochNumbers.Select(e => Figure.Double(learningRateAt(e))).ToArray()));
        return Figure.Chart([trace], Figure.Layout(
            ("title", Figure.Title($"Learning rate: {name}")), ("xaxis", Figure.Axis("epoch")), ("yaxis", Figure.Axis("learning rate α"))));
    }
}
