using System.Numerics.Tensors;

namespace CourseKit;

/// <summary>
/// Scales pixel values 0–255 to 0–1 by dividing by 255 — what PyTorch's <c>transforms.ToTensor</c> does.
/// Datasets hand out the raw values 0–255; this is usually the first transform.
/// </summary>
public sealed class ToFloat : ITransform
{
    /// <summary>The images divided by 255.</summary>
    public Tensor Apply(Tensor images, Random random)
    {
        var (values, n, c, h, w) = ImageBatch.Read(images, this);
        TensorPrimitives.Divide(values, 255f, values);
        return ImageBatch.Wrap(values, images, n, c, h, w);
    }

    /// <summary><c>ToFloat()</c>.</summary>
    public override string ToString() => "ToFloat()";
}
