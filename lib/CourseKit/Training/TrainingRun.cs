namespace CourseKit;

/// <summary>
/// One call of <see cref="Trainer.Fit"/> as callbacks see it: the model, loss, optimiser and data being used,
/// the <see cref="History"/> so far, and <see cref="Log"/> to write a message.
/// </summary>
public sealed class TrainingRun
{
    private readonly IReadOnlyList<Callback> _callbacks;

    internal TrainingRun(Module model, Loss loss, Optimizer optimizer, DataLoader train, DataLoader? validation,
                         int epochs, IReadOnlyList<Callback> callbacks)
    {
        Model = model;
        Loss = loss;
        Optimizer = optimizer;
        Train = train;
        Validation = validation;
        Epochs = epochs;
        _callbacks = callbacks;
    }

    /// <summary>The model being trained.</summary>
    public Module Model { get; }

    /// <summary>The loss being minimised.</summary>
    public Loss Loss { get; }

    /// <summary>The optimiser updating the weights.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The training batches.</summary>
    public DataLoader Train { get; }

    /// <summary>The validation batches, or null.</summary>
    public DataLoader? Validation { get; }

    /// <summary>The number of epochs asked for (training may stop earlier).</summary>
    public int Epochs { get; }

    /// <summary>Steps (mini-batches) per epoch.</summary>
    public int StepsPerEpoch => Train.Count;

    /// <summary>What has happened so far.</summary>
    public History History { get; } = new();

    /// <summary>Records <paramref name="message"/> in the <see cref="History"/> and hands it to every callback's <see cref="Callback.OnMessage"/> (the progress display prints it).</summary>
    public void Log(string message)
    {
        History.Add(message);
        foreach (var callback in _callbacks) callback.OnMessage(this, message);
    }
}
