using System.Numerics.Tensors;
using CourseKit.Kernels;

namespace CourseKit;

// Pooling as a function (PyTorch's F.max_pool2d, F.avg_pool2d, F.adaptive_avg_pool2d). Each channel
// of each image (a "plane") is pooled on its own; windows slide as in a convolution, so the output
// size is the same formula ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1.
public static partial class F
{
    // ───────────────────────────────────────────────────────────────── max pooling

    /// <summary>
    /// Max pooling: each output pixel is the largest input pixel in its kH×kW window,
    /// y[n, c, i, j] = max_u,v x[n, c, i·s + u·d − p, j·s + v·d − p] (padding counts as −∞).
    /// The gradient flows only to the pixel that was the maximum (the first one, when several tie).
    /// </summary>
    /// <param name="input">(N, C, H, W).</param>
    /// <param name="kernelSize">Window size k (square).</param>
    /// <param name="stride">Step between windows; default k (windows do not overlap).</param>
    /// <param name="padding">−∞ padding on every side, at most k/2.</param>
    /// <param name="dilation">Spacing between the pixels of a window.</param>
    /// <example><c>F.MaxPool2d(x, 2)</c> halves the height and width.</example>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1) =>
        MaxPool2d(input, kernelSize, stride ?? kernelSize, padding, dilation, "F.MaxPool2d");

    /// <summary>
    /// Max pooling with <paramref name="who"/> named in error messages (used by the <see cref="CourseKit.MaxPool2d"/> layer);
    /// with <paramref name="relu"/>, the pooling of ReLU(input) (for <see cref="Sequential"/>'s Conv2d → ReLU → MaxPool2d),
    /// computed as ReLU of the pooled values — the same numbers, as max and ReLU commute — so that the ReLU and its
    /// backward touch the pooled tensor only, a quarter of the input for 2×2 windows.
    /// </summary>
    internal static Tensor MaxPool2d(Tensor input, int kernelSize, int stride, int padding, int dilation, string who, bool relu = false)
    {
        CheckPoolParameters(who, kernelSize, stride, padding, dilation);
        CheckPoolInput(who, input);
        var g = Window(who, input.Shape, (kernelSize, kernelSize), (stride, stride), Padding2d.Symmetric((padding, padding)), (dilation, dilation), $"input {input.Shape}");
        int planes = input.Size(0) * input.Size(1), inArea = g.InputArea, outArea = g.OutputArea;
        var x = Dense(input);
        var y = LargeBuffers.Allocate(planes * outArea, zeroed: false);
        var shape = new Shape(input.Size(0), input.Size(1), g.OutHeight, g.OutWidth);
        if (Pool2x2.Applies(g))
        {
            // 2×2 windows, stride 2: no winner positions kept; backward finds them again from x and y.
            ForEachParallel(planes, outArea * 4L, plane =>
            {
                Pool2x2.Forward(x.AsSpan(plane * inArea, inArea), g, y.AsSpan(plane * outArea, outArea));
                if (relu) TensorPrimitives.Max(y.AsSpan(plane * outArea, outArea), 0f, y.AsSpan(plane * outArea, outArea));
            });
            return Tensor.Record(new Tensor(y, shape), relu ? "ReLU+MaxPool2d" : "MaxPool2d", [input], gradOutput =>
            {
                var dy = Dense(gradOutput);
                var dx = LargeBuffers.Allocate(x.Length, zeroed: false);                         // every element is written
                ForEachParallel(planes, outArea * 4L, plane => Pool2x2.Backward(x.AsSpan(plane * inArea, inArea),
                    y.AsSpan(plane * outArea, outArea), dy.AsSpan(plane * outArea, outArea), g, dx.AsSpan(plane * inArea, inArea), relu));
                return [new Tensor(dx, input.Shape)];
            });
        }
        var argmax = new int[planes * outArea];          // where in its plane each output's maximum was
        ForEachParallel(planes, (long)outArea * g.KernelArea, plane =>
        {
            MaxPoolPlane(x.AsSpan(plane * inArea, inArea), g, y.AsSpan(plane * outArea, outArea), argmax.AsSpan(plane * outArea, outArea));
            if (relu) TensorPrimitives.Max(y.AsSpan(plane * outArea, outArea), 0f, y.AsSpan(plane * outArea, outArea));
        });

        return Tensor.Record(new Tensor(y, shape), relu ? "ReLU+MaxPool2d" : "MaxPool2d", [input], gradOutput =>
        {
            var dy = Dense(gradOutput);
            var dx = new float[x.Length];
            for (int plane = 0, k = 0; plane < planes; plane++)
            {
                var dxPlane = dx.AsSpan(plane * inArea, inArea);
                for (int end = k + outArea; k < end; k++)
                    if (!relu || y[k] > 0f) dxPlane[argmax[k]] += dy[k];                          // dx[argmax] += dy: only the winner gets the gradient
            }
            return [new Tensor(dx, input.Shape)];
        });
    }

    /// <summary>Max pooling of one plane; records the position of each maximum (the first of equal values; NaN wins, as in PyTorch).</summary>
    private static void MaxPoolPlane(ReadOnlySpan<float> x, in WindowGeometry g, Span<float> y, Span<int> argmax)
    {
        if (g.PadTop == 0 && g.PadLeft == 0 && g.DilationH == 1 && g.DilationW == 1)
        {
            MaxPoolPlaneUnpadded(x, g, y, argmax);
            return;
        }
        for (int i = 0; i < g.OutHeight; i++)
            for (int j = 0; j < g.OutWidth; j++)
            {
                float best = float.NegativeInfinity;
                int bestAt = -1;
                for (int u = 0; u < g.KernelH; u++)
                {
                    int r = i * g.StrideH + u * g.DilationH - g.PadTop;
                    if (r < 0 || r >= g.Height) continue;
                    for (int v = 0; v < g.KernelW; v++)
                    {
                        int c = j * g.StrideW + v * g.DilationW - g.PadLeft;
                        if (c < 0 || c >= g.Width) continue;
                        float value = x[r * g.Width + c];
                        if (bestAt < 0 || value > best || float.IsNaN(value) && !float.IsNaN(best))
                        {
                            best = value;
                            bestAt = r * g.Width + c;
                        }
                    }
                }
                y[i * g.OutWidth + j] = best;
                argmax[i * g.OutWidth + j] = bestAt;
            }
    }

    /// <summary>
    /// The common case — no padding, no dilation — without bounds tests, and with selects instead of
    /// branches (random activations would mispredict every other comparison). Same results as the general loop.
    /// </summary>
    private static void MaxPoolPlaneUnpadded(ReadOnlySpan<float> x, in WindowGeometry g, Span<float> y, Span<int> argmax)
    {
        int width = g.Width, kh = g.KernelH, kw = g.KernelW, outH = g.OutHeight, outW = g.OutWidth, sh = g.StrideH, sw = g.StrideW;
        for (int i = 0; i < outH; i++)
            for (int j = 0; j < outW; j++)
            {
                int first = i * sh * width + j * sw;
                int bestAt = first;
                float best = x[first];
                for (int u = 0; u < kh; u++)
                    for (int v = 0; v < kw; v++)
                    {
                        int at = first + u * width + v;
                        float value = x[at];
                        bool better = !(value <= best);                                             // larger, or NaN (which wins, as in PyTorch)
                        int wins = -System.Runtime.CompilerServices.Unsafe.As<bool, byte>(ref better);  // all ones when the new value wins
                        bestAt = (bestAt & ~wins) | (at & wins);
                        best = MathF.Max(best, value);                                              // NaN propagates, as the index does
                    }
                y[i * outW + j] = best;
                argmax[i * outW + j] = bestAt;
            }
    }

    // ───────────────────────────────────────────────────────────────── average pooling

    /// <summary>
    /// Average pooling: each output pixel is the mean of its k×k window. With
    /// <paramref name="countIncludePad"/> (PyTorch's default) padding zeros count in the mean, so every
    /// window divides by k·k; otherwise only real pixels count.
    /// </summary>
    /// <param name="input">(N, C, H, W).</param>
    /// <param name="kernelSize">Window size k (square).</param>
    /// <param name="stride">Step between windows; default k.</param>
    /// <param name="padding">Zero padding on every side, at most k/2.</param>
    /// <param name="countIncludePad">Whether padding zeros count in the divisor.</param>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true) =>
        AvgPool2d(input, kernelSize, stride ?? kernelSize, padding, countIncludePad, "F.AvgPool2d");

    /// <summary>Average pooling with <paramref name="who"/> named in error messages (used by the <see cref="CourseKit.AvgPool2d"/> layer).</summary>
    internal static Tensor AvgPool2d(Tensor input, int kernelSize, int stride, int padding, bool countIncludePad, string who)
    {
        CheckPoolParameters(who, kernelSize, stride, padding, 1);
        CheckPoolInput(who, input);
        var g = Window(who, input.Shape, (kernelSize, kernelSize), (stride, stride), Padding2d.Symmetric((padding, padding)), (1, 1), $"input {input.Shape}");
        var rows = SlidingAxis(g.Height, g.OutHeight, kernelSize, stride, padding, countIncludePad);
        var cols = SlidingAxis(g.Width, g.OutWidth, kernelSize, stride, padding, countIncludePad);
        return AveragePool(input, rows, cols, "AvgPool2d");
    }

    /// <summary>
    /// Adaptive average pooling: divides each plane into an outH × outW grid of (nearly) equal windows and
    /// averages each — whatever the input size, the output is outH × outW. Window i along an axis of size n
    /// covers ⌊i·n/out⌋ ≤ r &lt; ⌈(i + 1)·n/out⌉ (PyTorch's formula).
    /// </summary>
    /// <param name="input">(N, C, H, W).</param>
    /// <param name="outputHeight">outH ≥ 1.</param>
    /// <param name="outputWidth">outW ≥ 1.</param>
    public static Tensor AdaptiveAvgPool2d(Tensor input, int outputHeight, int outputWidth) =>
        AdaptiveAvgPool2d(input, outputHeight, outputWidth, "F.AdaptiveAvgPool2d");

    /// <summary>Adaptive average pooling with <paramref name="who"/> named in error messages (used by the <see cref="CourseKit.AdaptiveAvgPool2d"/> layer).</summary>
    internal static Tensor AdaptiveAvgPool2d(Tensor input, int outputHeight, int outputWidth, string who)
    {
        if (outputHeight < 1 || outputWidth < 1)
            throw new ArgumentException($"{who}: the output size must be at least 1×1, got {outputHeight}×{outputWidth}.");
        CheckPoolInput(who, input);
        if (input.Size(2) == 0 || input.Size(3) == 0)
            throw new ShapeException($"{who}: cannot average an empty image; got input {input.Shape}.");
        return AveragePool(input, AdaptiveAxis(input.Size(2), outputHeight), AdaptiveAxis(input.Size(3), outputWidth), "AdaptiveAvgPool2d");
    }

    /// <summary>
    /// Global average pooling: the mean of each channel over all its pixels, (N, C, H, W) → (N, C, 1, 1)
    /// (follow with <c>Flatten(1)</c> for a classifier). The same as <see cref="AdaptiveAvgPool2d(Tensor, int, int)"/> with output 1×1.
    /// </summary>
    /// <param name="input">(N, C, H, W).</param>
    public static Tensor GlobalAvgPool2d(Tensor input) => AdaptiveAvgPool2d(input, 1, 1, "F.GlobalAvgPool2d");

    /// <summary>
    /// One axis of an average pool: output position i averages input positions Start[i] ≤ r &lt; End[i] and
    /// divides by Count[i] (which includes padding positions when they count). Windows are rectangles, so
    /// a 2-D window is a row range times a column range.
    /// </summary>
    private readonly record struct PoolAxis(int[] Start, int[] End, int[] Count);

    /// <summary>Sliding windows of size k, stride s, padding p along an axis of size n (clipped to the padded input, as in PyTorch).</summary>
    private static PoolAxis SlidingAxis(int n, int outSize, int k, int s, int p, bool countIncludePad)
    {
        var axis = new PoolAxis(new int[outSize], new int[outSize], new int[outSize]);
        for (int i = 0; i < outSize; i++)
        {
            int first = i * s - p, last = Math.Min(first + k, n + p);     // the window within the padded input
            axis.Start[i] = Math.Max(first, 0);
            axis.End[i] = Math.Min(last, n);
            axis.Count[i] = countIncludePad ? last - first : axis.End[i] - axis.Start[i];
        }
        return axis;
    }

    /// <summary>Adaptive windows along an axis of size n: ⌊i·n/out⌋ to ⌈(i + 1)·n/out⌉.</summary>
    private static PoolAxis AdaptiveAxis(int n, int outSize)
    {
        var axis = new PoolAxis(new int[outSize], new int[outSize], new int[outSize]);
        for (int i = 0; i < outSize; i++)
        {
            axis.Start[i] = i * n / outSize;
            axis.End[i] = ((i + 1) * n + outSize - 1) / outSize;
            axis.Count[i] = axis.End[i] - axis.Start[i];
        }
        return axis;
    }

    /// <summary>y[i, j] = (Σ of x over rows × cols window (i, j)) / (count_i · count_j) for every plane; backward spreads dy / count evenly over the window.</summary>
    private static Tensor AveragePool(Tensor input, PoolAxis rows, PoolAxis cols, string op)
    {
        int planes = input.Size(0) * input.Size(1), h = input.Size(2), w = input.Size(3);
        int outH = rows.Start.Length, outW = cols.Start.Length, inArea = h * w, outArea = outH * outW;
        var x = Dense(input);
        var y = new float[planes * outArea];
        ForEachParallel(planes, (long)inArea + outArea, plane =>
        {
            var src = x.AsSpan(plane * inArea, inArea);
            var dst = y.AsSpan(plane * outArea, outArea);
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++)
                {
                    float sum = 0;
                    for (int r = rows.Start[i]; r < rows.End[i]; r++)
                        for (int c = cols.Start[j]; c < cols.End[j]; c++)
                            sum += src[r * w + c];
                    dst[i * outW + j] = sum / (rows.Count[i] * cols.Count[j]);
                }
        });
        var result = new Tensor(y, new Shape(input.Size(0), input.Size(1), outH, outW));

        return Tensor.Record(result, op, [input], gradOutput =>
        {
            var dy = Dense(gradOutput);
            var dx = new float[x.Length];
            for (int plane = 0; plane < planes; plane++)
                for (int i = 0; i < outH; i++)
                    for (int j = 0; j < outW; j++)
                    {
                        float share = dy[plane * outArea + i * outW + j] / (rows.Count[i] * cols.Count[j]);   // dx += dy / count over the window
                        for (int r = rows.Start[i]; r < rows.End[i]; r++)
                            for (int c = cols.Start[j]; c < cols.End[j]; c++)
                                dx[plane * inArea + r * w + c] += share;
                    }
            return [new Tensor(dx, input.Shape)];
        });
    }

    // ───────────────────────────────────────────────────────────────── validation

    /// <summary>Pooling hyper-parameters: the window rules of a convolution, and padding at most half the kernel (as PyTorch requires).</summary>
    internal static void CheckPoolParameters(string who, int kernelSize, int stride, int padding, int dilation)
    {
        CheckWindowParameters(who, (kernelSize, kernelSize), (stride, stride), Padding2d.Symmetric((padding, padding)), (dilation, dilation));
        if (padding > kernelSize / 2)
            throw new ArgumentException($"{who}: padding {padding} is more than half the kernel size {kernelSize} (at most {kernelSize / 2}): some windows would see only padding.");
    }

    private static void CheckPoolInput(string who, Tensor input)
    {
        if (input.Rank != 4)
            throw new ShapeException($"{who}: expected input (N, C, H, W), got {input.Shape}.{(input.Rank == 3 ? " For a single image (C, H, W), add the batch axis with Unsqueeze(0)." : "")}");
    }
}
