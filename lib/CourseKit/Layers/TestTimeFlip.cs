namespace CourseKit;

/// <summary>
/// Test-time augmentation by mirroring: the class scores of a trained image classifier averaged over each image and its
/// left–right mirror, scores = (model(x) + model(x.Flip(-1))) / 2. A network trained with
/// <see cref="RandomHorizontalFlip"/> has learned that both are the same picture, so averaging its two opinions
/// removes some of its errors (usually a few tenths of a percent of accuracy) at twice the cost of a prediction.
/// Use it for evaluation only; it has no parameters of its own.
/// </summary>
/// <example><c>Trainer.Evaluate(new TestTimeFlip(model), testLoader)</c></example>
/// <param name="model">The trained classifier taking NCHW images.</param>
public sealed class TestTimeFlip(Module model) : Module
{
    /// <summary>The classifier whose scores are averaged.</summary>
    public Module Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>(model(x) + model(x mirrored)) / 2 for images x (N, C, H, W).</summary>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4)
            throw new ShapeException($"TestTimeFlip: expected images (N, C, H, W), got {input.Shape}.");
        return (Model.Call(input) + Model.Call(input.Flip(-1))) * 0.5f;
    }
}
