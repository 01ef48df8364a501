namespace CourseKit;

public static partial class Models
{
    /// <summary>
    /// AlexNet (Krizhevsky, Sutskever &amp; Hinton, 2012) as tabled in the lecture, for 3×227×227 images:
    /// five convolutions (with biases) and three fully-connected layers (without biases) — 62,369,152
    /// parameters, 58.6 M of them in the fully-connected layers. Differences from the paper: one
    /// tower instead of two GPU halves, and no local response normalisation.
    /// <code>
    /// Conv 96@11×11 s4 → 96×55×55 → pool 3/2 → 96×27×27 → Conv 256@5×5 p2 → 256×27×27 → pool → 256×13×13
    /// → Conv 384@3×3 → Conv 384@3×3 → Conv 256@3×3 → 256×13×13 → pool → 256×6×6 = 9216
    /// → FC 4096 → FC 4096 → FC 1000   (dropout 0.5 after the first two)
    /// </code>
    /// </summary>
    public static Sequential AlexNet() => new(
        new Conv2d(3, 96, 11, stride: 4), new ReLU(), new MaxPool2d(3, 2),                  // 11·11·3·96 + 96 = 34,944
        new Conv2d(96, 256, 5, padding: 2), new ReLU(), new MaxPool2d(3, 2),                // 5·5·96·256 + 256 = 614,656
        new Conv2d(256, 384, 3, padding: 1), new ReLU(),                                     // 885,120
        new Conv2d(384, 384, 3, padding: 1), new ReLU(),                                     // 1,327,488
        new Conv2d(384, 256, 3, padding: 1), new ReLU(), new MaxPool2d(3, 2),               // 884,992
        new Flatten(),                                                                        // 256·6·6 = 9216
        new Linear(9216, 4096, bias: false), new ReLU(), new Dropout(0.5f),                  // 37,748,736
        new Linear(4096, 4096, bias: false), new ReLU(), new Dropout(0.5f),                  // 16,777,216
        new Linear(4096, 1000, bias: false));                                                 // 4,096,000
}
