using System.Globalization;

namespace CourseKit;

/// <summary>
/// Data augmentation (like <c>transforms.RandomHorizontalFlip</c>): mirrors each image left to right with
/// probability <see cref="P"/>. A cat facing left is still a cat; a mirrored digit is not a digit, so use
/// it for photos (CIFAR-10), not for MNIST.
/// </summary>
public sealed class RandomHorizontalFlip : ITransform
{
    /// <summary>The probability that an image is flipped.</summary>
    public double P { get; }

    /// <summary>Creates the transform.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not in [0, 1].</exception>
    public RandomHorizontalFlip(double p = 0.5)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "RandomHorizontalFlip: p is a probability, 0 ≤ p ≤ 1.");
        P = p;
    }

    /// <summary>The images, each mirrored if a uniform draw from <paramref name="random"/> is below <see cref="P"/> (one draw per image).</summary>
    public Tensor Apply(Tensor images, Random random)
    {
        var (values, n, c, h, w) = ImageBatch.Read(images, this);
        for (int i = 0; i < n; i++)
        {
            if (!(random.NextDouble() < P)) continue;
            for (int row = 0; row < c * h; row++)                               // every row of every channel
                values.AsSpan((i * c * h + row) * w, w).Reverse();
        }
        return ImageBatch.Wrap(values, images, n, c, h, w);
    }

    /// <summary>E.g. <c>RandomHorizontalFlip(p=0.5)</c>.</summary>
    public override string ToString() => $"RandomHorizontalFlip(p={P.ToString(CultureInfo.InvariantCulture)})";
}
