namespace CourseKit;

public static partial class Models
{
    /// <summary>
    /// The course's first Keras CNN for 1×28×28 MNIST digits — two 3×3 convolutions, one pooling, two
    /// fully-connected layers; 127,138 parameters (almost all in the first fully-connected layer):
    /// <code>
    /// Conv 8@3×3 (pad 1) → 8×28×28 → Conv 16@3×3 (pad 1) → 16×28×28 → pool → 16×14×14 = 3136 → FC 40 → FC 10
    /// </code>
    /// </summary>
    public static Sequential KerasMnist() => new(
        new Conv2d(1, 8, 3, padding: 1), new ReLU(),                         // 1·8·9 + 8 = 80 parameters
        new Conv2d(8, 16, 3, padding: 1), new ReLU(),                        // 8·16·9 + 16 = 1,168
        new MaxPool2d(2),
        new Flatten(),                                                        // 16·14·14 = 3136 features
        new Linear(16 * 14 * 14, 40), new ReLU(),                             // 125,480
        new Linear(40, 10));                                                  // 410
}
