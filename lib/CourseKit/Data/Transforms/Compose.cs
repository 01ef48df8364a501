namespace CourseKit;

/// <summary>Applies several transforms one after another (like <c>transforms.Compose</c>).</summary>
/// <example><code>
/// var augment = new Compose(new ToFloat(), new RandomCrop(32, padding: 4), new RandomHorizontalFlip(),
///                           new Normalize([0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]));
/// </code></example>
public sealed class Compose : ITransform
{
    /// <summary>The transforms, in the order they are applied.</summary>
    public IReadOnlyList<ITransform> Transforms { get; }

    /// <summary>Chains <paramref name="transforms"/>, first to last.</summary>
    public Compose(params ITransform[] transforms) => Transforms = (ITransform[])transforms.Clone();

    /// <summary>The images after every transform in turn, all drawing from the same <paramref name="random"/>.</summary>
    public Tensor Apply(Tensor images, Random random)
    {
        foreach (var transform in Transforms) images = transform.Apply(images, random);
        return images;
    }

    /// <summary>E.g. <c>Compose(ToFloat(), Normalize(mean=[0.1307], std=[0.3081]))</c>.</summary>
    public override string ToString() => $"Compose({string.Join(", ", Transforms)})";
}
