namespace CourseKit;

public static partial class Models
{
    /// <summary>
    /// Keras's "simple MNIST convnet" example — the model `coursekit train mnist` trains; 34,826 parameters,
    /// reaching about 99 % test accuracy:
    /// <code>
    /// Conv 32@3×3 → 32×26×26 → pool → 32×13×13 → Conv 64@3×3 → 64×11×11 → pool → 64×5×5 = 1600 → Dropout 0.5 → FC 10
    /// </code>
    /// </summary>
    public static Sequential MnistConvnet() => new(
        new Conv2d(1, 32, 3), new ReLU(),                                     // 1·32·9 + 32 = 320 parameters
        new MaxPool2d(2),
        new Conv2d(32, 64, 3), new ReLU(),                                    // 32·64·9 + 64 = 18,496
        new MaxPool2d(2),
        new Flatten(),                                                        // 64·5·5 = 1600 features
        new Dropout(0.5f),
        new Linear(64 * 5 * 5, 10));                                          // 16,010
}
