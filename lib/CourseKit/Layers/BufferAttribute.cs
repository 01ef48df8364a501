namespace CourseKit;

/// <summary>
/// Marks a <see cref="Tensor"/> field of a <see cref="Module"/> as state that is saved with the model
/// but not learned by gradient descent — e.g. BatchNorm's running mean and variance.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class BufferAttribute : Attribute;
