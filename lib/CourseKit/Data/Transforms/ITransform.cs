namespace CourseKit;

/// <summary>
/// A change applied to a batch of images (N, C, H, W), or to one image (C, H, W), before it reaches the
/// model (like <c>torchvision.transforms</c>): scaling (<see cref="ToFloat"/>), normalising
/// (<see cref="Normalize"/>) or data augmentation (<see cref="RandomCrop"/>, <see cref="RandomHorizontalFlip"/>,
/// <see cref="RandomShift"/>). Chain them with <see cref="Compose"/>. A transform returns a new tensor and
/// leaves its input unchanged.
/// </summary>
public interface ITransform
{
    /// <summary>The transformed images.</summary>
    /// <param name="images">A batch (N, C, H, W) or one image (C, H, W).</param>
    /// <param name="random">
    /// The generator random transforms draw from, so that a run is repeatable: the <see cref="DataLoader"/>
    /// passes one seeded for each epoch. Transforms that are not random ignore it.
    /// </param>
    Tensor Apply(Tensor images, Random random);
}
