namespace CourseKit;

/// <summary>Famous and course architectures, built from CourseKit layers (one file per model).</summary>
public static partial class Models
{
    /// <summary>
    /// LeNet-5 (LeCun et al., 1998) in its modern form — ReLU and max pooling instead of tanh and
    /// subsampling — for 1×28×28 MNIST digits; 61,706 parameters:
    /// <code>
    /// Conv 6@5×5 (pad 2) → 6×28×28 → pool → 6×14×14 → Conv 16@5×5 → 16×10×10 → pool → 16×5×5
    /// → 400 → FC 120 → FC 84 → FC 10
    /// </code>
    /// </summary>
    public static Sequential LeNet5() => new(
        new Conv2d(1, 6, 5, padding: 2), new ReLU(), new MaxPool2d(2),      // 1·6·25 + 6 = 156 parameters
        new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),                  // 6·16·25 + 16 = 2,416
        new Flatten(),                                                        // 16·5·5 = 400 features
        new Linear(400, 120), new ReLU(),                                     // 48,120
        new Linear(120, 84), new ReLU(),                                      // 10,164
        new Linear(84, 10));                                                  // 850
}
