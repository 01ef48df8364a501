using Plotly.NET;

namespace CourseKit;

public static partial class Plot
{
    /// <summary>The learning curves of a training run: training and (if measured) validation loss per epoch.</summary>
    public static GenericChart LossCurves(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return LossCurves(Doubles(history.TrainLoss), history.HasValidation ? Doubles(history.ValidationLoss) : null);
    }

    /// <summary>Training and (if measured) validation accuracy per epoch of a training run.</summary>
    public static GenericChart AccuracyCurves(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return AccuracyCurves(Doubles(history.TrainAccuracy), history.HasValidation ? Doubles(history.ValidationAccuracy) : null);
    }

    private static double[] Doubles(float[] values) => Array.ConvertAll(values, Figure.Double);
}
