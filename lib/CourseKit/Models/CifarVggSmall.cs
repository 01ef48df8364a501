namespace CourseKit;

public static partial class Models
{
    /// <summary>
    /// The course's small VGG-style network for 3×32×32 CIFAR-10 images: blocks of 3×3 convolution +
    /// batch normalisation + ReLU, 2×2 max pooling and dropout; 667,178 parameters.
    /// <code>
    /// [cbr32, cbr32, pool, drop .25] 16² → [cbr64, cbr64, pool, drop .25] 8² → [cbr128, pool] 4²
    /// → 128·4·4 = 2048 → FC 256 → drop .5 → FC 10          (cbr = Conv2d 3×3 pad 1 + BatchNorm2d + ReLU)
    /// </code>
    /// The dropout rates can be lowered for short training schedules, where regularisation slows learning more than
    /// it prevents over-fitting (the CIFAR-10 recipe of <c>coursekit train</c> does).
    /// </summary>
    /// <param name="convDropout">Dropout after the first two blocks (default 0.25).</param>
    /// <param name="denseDropout">Dropout before the last layer (default 0.5).</param>
    public static Sequential CifarVggSmall(float convDropout = 0.25f, float denseDropout = 0.5f) => new([
        .. ConvBatchNormRelu(3, 32), .. ConvBatchNormRelu(32, 32), new MaxPool2d(2), new Dropout(convDropout),
        .. ConvBatchNormRelu(32, 64), .. ConvBatchNormRelu(64, 64), new MaxPool2d(2), new Dropout(convDropout),
        .. ConvBatchNormRelu(64, 128), new MaxPool2d(2),
        new Flatten(),
        new Linear(128 * 4 * 4, 256), new ReLU(), new Dropout(denseDropout),
        new Linear(256, 10)]);

    /// <summary>The "cbr" block: a 3×3 convolution that keeps the size (padding 1), batch normalisation, ReLU.</summary>
    private static Module[] ConvBatchNormRelu(int inChannels, int outChannels) =>
        [new Conv2d(inChannels, outChannels, 3, padding: 1), new BatchNorm2d(outChannels), new ReLU()];
}
