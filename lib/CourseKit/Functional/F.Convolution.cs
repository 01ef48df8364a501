using System.Numerics.Tensors;
using System.Buffers;
using System.Globalization;
using CourseKit.Kernels;

namespace CourseKit;

// Convolution as a function (PyTorch's F.conv2d, F.unfold, F.fold), the lecture's single-channel
// cross-correlation and true convolution, and the output-size formula with its error messages.
//
// How Conv2d is computed: im2col turns each image into a matrix whose columns are the pixels under
// each window position (Kernels/Im2Col.cs); then one matrix multiply applies every filter at every
// position, Y = W · columns. The backward pass is two more matrix multiplies and a col2im.
// ConvolutionReference.cs holds the same maths as plain nested loops, and the tests check that the
// two agree.
public static partial class F
{
    // ───────────────────────────────────────────────────────────────── Conv2d

    /// <summary>
    /// 2-D convolution (cross-correlation, as in every deep-learning library) of a batch of images:
    /// y[n, o, i, j] = b[o] + Σ_c Σ_p Σ_q w[o, c, p, q] · x[n, c, i·s + p·d − pad, j·s + q·d − pad].
    /// </summary>
    /// <param name="input">Images (N, C, H, W).</param>
    /// <param name="weight">Filters (O, C, kH, kW): O filters, each spanning all C input channels.</param>
    /// <param name="bias">One value per filter, shape (O), or null.</param>
    /// <param name="stride">Step between window positions.</param>
    /// <param name="padding">Rows/columns of zeros added on every side.</param>
    /// <param name="dilation">Spacing between kernel taps (1 = adjacent pixels).</param>
    /// <returns>(N, O, outH, outW) with outH = ⌊(H + 2·pad − d·(kH − 1) − 1)/s⌋ + 1, and likewise outW.</returns>
    /// <example><c>var y = F.Conv2d(x, w, b, stride: 2, padding: 1);</c></example>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1) =>
        Conv2d(input, weight, bias, (stride, stride), Padding2d.Symmetric((padding, padding)), (dilation, dilation), "F.Conv2d");

    /// <summary>2-D convolution with separate (height, width) stride, padding and dilation, e.g. <c>F.Conv2d(x, w, b, stride: (1, 2), padding: (0, 1))</c>.</summary>
    /// <param name="input">Images (N, C, H, W).</param>
    /// <param name="weight">Filters (O, C, kH, kW).</param>
    /// <param name="bias">Shape (O), or null.</param>
    /// <param name="stride">(vertical, horizontal) step between window positions.</param>
    /// <param name="padding">(rows, columns) of zeros added above and below / left and right; default none.</param>
    /// <param name="dilation">(vertical, horizontal) spacing between kernel taps; default (1, 1).</param>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding = default, (int H, int W)? dilation = null) =>
        Conv2d(input, weight, bias, stride, Padding2d.Symmetric(padding), dilation ?? (1, 1), "F.Conv2d");

    /// <summary>
    /// 2-D convolution with padding given by name, as in PyTorch: <c>"valid"</c> (no padding) or
    /// <c>"same"</c> (stride 1 only: pads so that the output has the input's height and width; when the
    /// total padding d·(k − 1) is odd, the extra row/column goes at the bottom/right).
    /// </summary>
    /// <param name="input">Images (N, C, H, W).</param>
    /// <param name="weight">Filters (O, C, kH, kW).</param>
    /// <param name="bias">Shape (O), or null.</param>
    /// <param name="padding">"same" or "valid".</param>
    /// <param name="stride">Step between window positions ("same" needs 1).</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <example><c>F.Conv2d(x, w, b, padding: "same")</c></example>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, string padding, int stride = 1, int dilation = 1)
    {
        const string who = "F.Conv2d";
        CheckConvShapes(who, input, weight, bias);
        var pad = PaddingFromMode(who, padding, (weight.Size(2), weight.Size(3)), (stride, stride), (dilation, dilation));
        return Conv2d(input, weight, bias, (stride, stride), pad, (dilation, dilation), who);
    }

    /// <summary>
    /// The convolution behind every public overload and the <see cref="CourseKit.Conv2d"/> layer;
    /// <paramref name="who"/> names the caller in error messages. With <paramref name="relu"/> it is
    /// relu(conv(x)) in one operation (the ReLU applied as outputs are written, its backward first).
    /// </summary>
    internal static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, Padding2d padding, (int H, int W) dilation, string who,
        bool relu = false)
    {
        CheckConvShapes(who, input, weight, bias);
        CheckWindowParameters(who, (weight.Size(2), weight.Size(3)), stride, padding, dilation);
        var g = Window(who, input.Shape, (weight.Size(2), weight.Size(3)), stride, padding, dilation, $"input {input.Shape}, weight {weight.Shape}");
        int batch = input.Size(0), channels = input.Size(1), filters = weight.Size(0);
        float[] x = Dense(input), w = Dense(weight);
        var y = LargeBuffers.Allocate(batch * filters * g.OutputArea, zeroed: false);
        Conv2dForward(x, w, bias is null ? null : Dense(bias), y, batch, channels, filters, g, relu);
        var result = new Tensor(y, new Shape(batch, filters, g.OutHeight, g.OutWidth));

        Tensor[] inputs = bias is null ? [input, weight] : [input, weight, bias];
        return Tensor.Record(result, relu ? "Conv2d+ReLU" : "Conv2d", inputs, gradOutput =>
        {
            if (relu) gradOutput = Tensor.ReluBackward(gradOutput, result);                  // the ReLU's backward first: dy where y > 0
            var dy = Dense(gradOutput);
            var dx = input.RequiresGrad ? LargeBuffers.Allocate(x.Length, zeroed: !InputGradientIsConvolution(channels, filters, g)) : null;   // col2im adds into zeros
            var dw = weight.RequiresGrad ? new float[w.Length] : null;
            Conv2dBackward(x, w, dy, dx, dw, batch, channels, filters, g);
            var gradInput = dx is null ? null : new Tensor(dx, input.Shape);
            var gradWeight = dw is null ? null : new Tensor(dw, weight.Shape);
            if (bias is null) return [gradInput, gradWeight];
            return [gradInput, gradWeight, bias.RequiresGrad ? gradOutput.Sum([0, 2, 3]) : null];   // db[o] = Σ_n,i,j dY[n, o, i, j]
        });
    }

    /// <summary>
    /// Y = W · columns + b, by the fastest kernel for the shape (each tested against ConvolutionReference):
    /// Winograd's F(4×4, 3×3) for 3×3 stride-1 layers with at least 16 channels and filters (Kernels/Winograd4x4.cs),
    /// a direct stride-1 convolution from a zero-bordered copy of each image (Kernels/DirectConv.cs), or
    /// the columns gathered a few pixels at a time straight into the matrix multiply
    /// (Kernels/ImplicitGemmConv.cs), or one image at a time: each image's columns matrix
    /// (C·kH·kW) × (outH·outW) written out (Kernels/Im2Col.cs) and multiplied by the general GEMM, the
    /// product landing directly in the image's (O, outH·outW) slice of the NCHW output.
    /// With <paramref name="relu"/>, y = max(0, W · columns + b).
    /// </summary>
    private static void Conv2dForward(float[] x, float[] w, float[]? b, float[] y, int batch, int channels, int filters, WindowGeometry g, bool relu)
    {
        if (Winograd4x4.Suits(channels, filters, g))
        {
            Winograd4x4.Forward(x, batch, channels, g, w, filters, b, y, relu, Gemm.MaxThreads);   // Y = Aᵀ [Σ_c (G w Gᵀ) ⊙ (Bᵀ x B)] A per 4×4 tile
            return;
        }
        if (DirectConv.Suits(channels, g))
        {
            DirectConv.Forward(x, batch, channels, g, w, filters, b, y, relu, Gemm.MaxThreads);
            return;
        }
        if (ImplicitGemmConv.Suits(filters))
        {
            ImplicitGemmConv.Forward(x, batch, channels, g, w, filters, b, y, relu, Gemm.MaxThreads);
            return;
        }
        int k = channels * g.KernelArea, area = g.OutputArea, imageSize = channels * g.InputArea;
        ForEachImageRange(batch, (long)filters * k * area, (gemm, _, first, end) =>
        {
            var columns = IsPointwise(g) ? null : ArrayPool<float>.Shared.Rent(k * area);
            try
            {
                for (int n = first; n < end; n++)
                {
                    var image = x.AsSpan(n * imageSize, imageSize);
                    var yn = y.AsSpan(n * filters * area, filters * area);
                    if (columns is not null) Kernels.Im2Col.Unfold(image, channels, g, columns, area);
                    if (b is not null)
                        for (int o = 0; o < filters; o++) yn.Slice(o * area, area).Fill(b[o]);
                    Gemm.Sgemm(gemm, false, false, filters, area, k, 1f, w, k, columns is null ? image : columns.AsSpan(0, k * area), area,
                        b is null ? 0f : 1f, yn, area);                                               // Yₙ = W·columnsₙ (+ b)
                    if (relu) TensorPrimitives.Max(yn, 0f, yn);
                }
            }
            finally { if (columns is not null) ArrayPool<float>.Shared.Return(columns); }
        });
    }

    /// <summary>
    /// The input gradient as a convolution of dY with flipped filters; the 3×3 weight gradient by Winograd's
    /// F(2×2, 3×3) (Kernels/WinogradWeightGradient.cs) or directly with channels per vector
    /// (Kernels/ConvWeightGradient.cs), and for few input channels the weight gradient with output pixels per
    /// vector (Kernels/SmallConvWeightGradient.cs) — each where it is faster; otherwise
    /// dW = Σₙ dYₙ · columnsₙᵀ and dXₙ = col2im(Wᵀ · dYₙ), one image at a time. Each thread sums dW over
    /// its own range of images; the partial sums are added in a fixed order, so results depend only on
    /// the thread count. Either output may be null (not needed).
    /// </summary>
    private static void Conv2dBackward(float[] x, float[] w, float[] dy, float[]? dx, float[]? dw, int batch, int channels, int filters, WindowGeometry g)
    {
        if (dx is not null && InputGradientIsConvolution(channels, filters, g))
        {
            // dX = dY ⊛ (W turned by 180°, in/out channels swapped): a forward convolution of its own.
            Conv2dForward(dy, FlippedWeights(w, filters, channels, g), null, dx, batch, filters, channels, FlippedGeometry(g), relu: false);
            dx = null;
        }
        if (dw is not null && WinogradWeightGradient.Suits(channels, g))
        {
            WinogradWeightGradient.Compute(x, dy, batch, channels, g, filters, dw, Gemm.MaxThreads);   // dW = Gᵀ [Σ (A dY Aᵀ) ⊙ (Bᵀ x B)] G
            dw = null;
        }
        if (dw is not null && ConvWeightGradient.Suits(channels, g))
        {
            ConvWeightGradient.Compute(x, dy, batch, channels, g, filters, dw, Gemm.MaxThreads);   // dW = Σₙ dYₙ ⋆ xₙ, along pixels
            dw = null;
        }
        if (dw is not null && SmallConvWeightGradient.Suits(channels, filters, g))
        {
            SmallConvWeightGradient.Compute(x, dy, batch, channels, g, filters, dw, Gemm.MaxThreads);   // dW = Σₙ dYₙ ⋆ xₙ, pixels per vector
            dw = null;
        }
        if (dx is null && dw is null) return;
        int k = channels * g.KernelArea, area = g.OutputArea, imageSize = channels * g.InputArea;
        int ranges = ImageRanges(batch, (long)filters * k * area);
        var partials = new float[ranges][];
        ForEachImageRange(batch, (long)filters * k * area, (gemm, range, first, end) =>
        {
            bool pointwise = IsPointwise(g);
            var columns = ArrayPool<float>.Shared.Rent(k * area);
            var dwPart = dw is null ? null : range == 0 ? dw : partials[range] = new float[dw.Length];
            try
            {
                for (int n = first; n < end; n++)
                {
                    var image = x.AsSpan(n * imageSize, imageSize);
                    var dyn = dy.AsSpan(n * filters * area, filters * area);
                    if (dwPart is not null)
                    {
                        if (!pointwise) Kernels.Im2Col.Unfold(image, channels, g, columns, area);
                        Gemm.Sgemm(gemm, false, true, filters, k, area, 1f, dyn, area, pointwise ? image : columns.AsSpan(0, k * area), area,
                            1f, dwPart, k);                                                             // dW += dYₙ·columnsₙᵀ
                    }
                    if (dx is not null)
                    {
                        var dxn = dx.AsSpan(n * imageSize, imageSize);
                        Gemm.Sgemm(gemm, true, false, k, area, filters, 1f, w, k, dyn, area, 0f,
                            pointwise ? dxn : columns.AsSpan(0, k * area), area);                      // dColumnsₙ = Wᵀ·dYₙ
                        if (!pointwise) Kernels.Im2Col.Fold(columns.AsSpan(0, k * area), area, channels, g, dxn);   // dXₙ = col2im(dColumnsₙ)
                    }
                }
            }
            finally { ArrayPool<float>.Shared.Return(columns); }
        });
        if (dw is not null)
            for (int r = 1; r < ranges; r++)
                if (partials[r] is { } part) TensorPrimitives.Add(dw, part, dw);
    }

    /// <summary>
    /// Whether the input gradient is computed as a forward convolution of dY with flipped filters: stride 1
    /// only, and where a fast kernel suits that convolution (else Wᵀ·dY + col2im is quicker).
    /// </summary>
    private static bool InputGradientIsConvolution(int channels, int filters, in WindowGeometry g) =>
        g.StrideH == 1 && g.StrideW == 1 && (Winograd4x4.Suits(filters, channels, FlippedGeometry(g)) || DirectConv.Suits(filters, FlippedGeometry(g))
                                             || ImplicitGemmConv.SuitsInputGradient(channels, g));

    /// <summary>
    /// The input gradient of a stride-1 convolution is a convolution of dY (N, O, outH, outW) giving (N, C, H, W):
    /// dX[c, i, j] = Σ_o Σ_p,q w[o, c, p, q] · dY[o, i + padTop − p·dH, j + padLeft − q·dW] — the filters
    /// w'[c, o, kH−1−p, kW−1−q] (turned by 180°, in and out channels swapped) with padding d·(k − 1) − pad.
    /// </summary>
    private static WindowGeometry FlippedGeometry(in WindowGeometry g) =>
        new(g.OutHeight, g.OutWidth, g.KernelH, g.KernelW, 1, 1,
            g.DilationH * (g.KernelH - 1) - g.PadTop, g.DilationW * (g.KernelW - 1) - g.PadLeft, g.DilationH, g.DilationW, g.Height, g.Width);

    /// <summary>w'[c, o, kH−1−p, kW−1−q] = w[o, c, p, q] (see <see cref="FlippedGeometry"/>).</summary>
    private static float[] FlippedWeights(float[] w, int filters, int channels, in WindowGeometry g)
    {
        int kh = g.KernelH, kw = g.KernelW, taps = kh * kw;
        var flipped = new float[w.Length];
        for (int o = 0; o < filters; o++)
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < kh; p++)
                    for (int q = 0; q < kw; q++)
                        flipped[(c * filters + o) * taps + (kh - 1 - p) * kw + (kw - 1 - q)] = w[(o * channels + c) * taps + p * kw + q];
        return flipped;
    }

    /// <summary>A 1×1 kernel with stride 1 and no padding: the columns matrix is the image itself.</summary>
    private static bool IsPointwise(in WindowGeometry g) =>
        g.KernelArea == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadTop == 0 && g.PadLeft == 0 && g.OutputArea == g.InputArea;

    /// <summary>How many contiguous ranges of images to process in parallel: one per thread when there are enough images and work.</summary>
    private static int ImageRanges(int batch, long workPerImage) =>
        Gemm.MaxThreads == 1 || batch < Gemm.MaxThreads || batch * workPerImage < ParallelWork ? 1 : Gemm.MaxThreads;

    /// <summary>
    /// Runs body(gemmOptions, range, first, end) over contiguous ranges of images: in parallel with
    /// single-threaded GEMMs when there are enough images, else on one range with the GEMM's own threads.
    /// </summary>
    private static void ForEachImageRange(int batch, long workPerImage, Action<Gemm.Options, int, int, int> body)
    {
        int ranges = ImageRanges(batch, workPerImage);
        if (ranges == 1) { body(Gemm.Options.Default, 0, 0, batch); return; }
        var single = Gemm.Options.Default with { Threads = 1 };
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = ranges },
            r => body(single, r, (int)((long)batch * r / ranges), (int)((long)batch * (r + 1) / ranges)));
    }

    /// <summary>Below this much work in total, per-image loops run on the calling thread.</summary>
    private const long ParallelWork = 1 << 16;

    /// <summary>
    /// Runs body(0..count−1), in one contiguous range of items per thread (<see cref="Gemm.MaxThreads"/>) when there is
    /// enough work: items are often small (a pooling plane), so handing them out one by one would cost more than they do.
    /// Never called from inside another parallel loop.
    /// </summary>
    private static void ForEachParallel(int count, long workPerItem, Action<int> body)
    {
        int parts = Math.Min(count, Gemm.MaxThreads);
        if (parts <= 1 || count * workPerItem < ParallelWork)
            for (int i = 0; i < count; i++) body(i);
        else
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
            {
                for (int i = (int)((long)count * part / parts), end = (int)((long)count * (part + 1) / parts); i < end; i++) body(i);
            });
    }

    /// <summary>The values of a tensor as a dense row-major array: its own storage when that is exactly the tensor, else a copy.</summary>
    private static float[] Dense(Tensor t) =>
        t.IsContiguous && t.Offset == 0 && t.Storage.Length == t.Numel ? t.Storage : t.ToArray();

    // ───────────────────────────────────────────────────────────────── im2col / col2im

    /// <summary>
    /// im2col (PyTorch's <c>F.unfold</c>): copies the pixels under each kH×kW window into one column.
    /// An image (C, H, W) gives a matrix (C·kH·kW, outH·outW) — row (c·kH + p)·kW + q holds tap (p, q) of
    /// channel c at every window position; a batch (N, C, H, W) gives (N, C·kH·kW, outH·outW). A
    /// convolution is then one matrix product: <c>weight.Reshape(O, -1).MatMul(F.Im2Col(image, kH, kW))</c>.
    /// </summary>
    /// <param name="image">(C, H, W) or (N, C, H, W).</param>
    /// <param name="kernelH">Window height.</param>
    /// <param name="kernelW">Window width.</param>
    /// <param name="stride">Step between window positions.</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <param name="dilation">Spacing between taps.</param>
    public static Tensor Im2Col(Tensor image, int kernelH, int kernelW, int stride = 1, int padding = 0, int dilation = 1)
    {
        const string who = "F.Im2Col";
        if (image.Rank is not (3 or 4))
            throw new ShapeException($"{who}: expected an image (C, H, W) or a batch (N, C, H, W), got {image.Shape}.");
        var pad = Padding2d.Symmetric((padding, padding));
        CheckWindowParameters(who, (kernelH, kernelW), (stride, stride), pad, (dilation, dilation));
        var g = Window(who, image.Shape, (kernelH, kernelW), (stride, stride), pad, (dilation, dilation), $"input {image.Shape}");
        int batch = image.Rank == 4 ? image.Size(0) : 1, channels = image.Size(-3);
        int rows = channels * g.KernelArea, area = g.OutputArea, imageSize = channels * g.InputArea;
        var x = Dense(image);
        var columns = LargeBuffers.Allocate(batch * rows * area, zeroed: false);
        for (int n = 0; n < batch; n++)
            Kernels.Im2Col.Unfold(x.AsSpan(n * imageSize, imageSize), channels, g, columns.AsSpan(n * rows * area, rows * area), area);
        var result = new Tensor(columns, image.Rank == 4 ? new Shape(batch, rows, area) : new Shape(rows, area));
        return Tensor.Record(result, "Im2Col", [image], grad => [FoldBatch(grad, image.Shape, g)]);     // the adjoint of a copy is a sum
    }

    /// <summary>
    /// col2im (PyTorch's <c>F.fold</c>), the adjoint of <see cref="Im2Col"/>: adds every column entry back
    /// onto the pixel it was copied from, so pixels covered by several windows receive the sum.
    /// (C·kH·kW, L) gives (C, H, W); (N, C·kH·kW, L) gives (N, C, H, W).
    /// </summary>
    /// <param name="columns">(C·kH·kW, L) or (N, C·kH·kW, L) with L = outH·outW.</param>
    /// <param name="height">Height H of the image to rebuild.</param>
    /// <param name="width">Width W of the image to rebuild.</param>
    /// <param name="kernelH">Window height.</param>
    /// <param name="kernelW">Window width.</param>
    /// <param name="stride">Step between window positions.</param>
    /// <param name="padding">Zeros that were added on every side (dropped again).</param>
    /// <param name="dilation">Spacing between taps.</param>
    public static Tensor Col2Im(Tensor columns, int height, int width, int kernelH, int kernelW, int stride = 1, int padding = 0, int dilation = 1)
    {
        const string who = "F.Col2Im";
        var pad = Padding2d.Symmetric((padding, padding));
        CheckWindowParameters(who, (kernelH, kernelW), (stride, stride), pad, (dilation, dilation));
        if (columns.Rank is not (2 or 3))
            throw new ShapeException($"{who}: expected columns (C·kH·kW, L) or (N, C·kH·kW, L), got {columns.Shape}.");
        int rows = columns.Size(-2), taps = kernelH * kernelW;
        if (rows % taps != 0)
            throw new ShapeException($"{who}: {rows} rows of {columns.Shape} are not a multiple of kH·kW = {kernelH}·{kernelW} = {taps}, so they are not C·kH·kW for any channel count C.");
        int channels = rows / taps;
        var imageShape = columns.Rank == 3 ? new Shape(columns.Size(0), channels, height, width) : new Shape(channels, height, width);
        var g = Window(who, imageShape, (kernelH, kernelW), (stride, stride), pad, (dilation, dilation), $"output size ({height}, {width})");
        if (columns.Size(-1) != g.OutputArea)
            throw new ShapeException($"{who}: a {height}×{width} image with a {kernelH}×{kernelW} kernel, stride {stride}, padding {padding}, dilation {dilation} has {g.OutHeight}·{g.OutWidth} = {g.OutputArea} window positions, but the columns {columns.Shape} have {columns.Size(-1)}.");
        var result = FoldBatch(columns, imageShape, g);
        return Tensor.Record(result, "Col2Im", [columns], grad =>                                     // the adjoint of a sum is a copy
            [Im2Col(grad, kernelH, kernelW, stride, padding, dilation)]);
    }

    /// <summary>col2im of (K, L) or (N, K, L) columns into a new image tensor of <paramref name="imageShape"/> (values only).</summary>
    private static Tensor FoldBatch(Tensor columns, Shape imageShape, WindowGeometry g)
    {
        int batch = imageShape.Rank == 4 ? imageShape[0] : 1, channels = imageShape[-3];
        int rows = channels * g.KernelArea, area = g.OutputArea, imageSize = channels * g.InputArea;
        var cols = Dense(columns);
        var image = LargeBuffers.Allocate(batch * imageSize);                       // zeros: col2im adds into it
        for (int n = 0; n < batch; n++)
            Kernels.Im2Col.Fold(cols.AsSpan(n * rows * area, rows * area), area, channels, g, image.AsSpan(n * imageSize, imageSize));
        return new Tensor(image, imageShape);
    }

    // ───────────────────────────────────────────────────────────────── the lecture's single-channel forms

    /// <summary>
    /// Cross-correlation of one 2-D image (H, W) with one 2-D kernel (kH, kW): slide the kernel over the
    /// image and take the dot product at each position, out[i, j] = Σ_p Σ_q image[i·s + p, j·s + q] · kernel[p, q].
    /// This is what deep-learning libraries call "convolution". Differentiable.
    /// </summary>
    /// <param name="image">A single-channel image (H, W).</param>
    /// <param name="kernel">The filter (kH, kW).</param>
    /// <param name="stride">Step between window positions.</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <example>A vertical-edge detector: <c>F.Correlate2d(image, Tensor.From(new float[,] { { 1, 0, -1 }, { 1, 0, -1 }, { 1, 0, -1 } }))</c>.</example>
    public static Tensor Correlate2d(Tensor image, Tensor kernel, int stride = 1, int padding = 0)
    {
        const string who = "F.Correlate2d";
        CheckSingleChannel(who, image, kernel);
        var y = Conv2d(image.Reshape(1, 1, image.Size(0), image.Size(1)), kernel.Reshape(1, 1, kernel.Size(0), kernel.Size(1)),
            null, (stride, stride), Padding2d.Symmetric((padding, padding)), (1, 1), who);
        return y.Reshape(y.Size(2), y.Size(3));
    }

    /// <summary>
    /// True (mathematical) convolution of a 2-D image (H, W) with a 2-D kernel (kH, kW): the kernel is
    /// flipped by 180° before sliding, out[i, j] = Σ_p Σ_q image[i·s + p, j·s + q] · kernel[kH−1−p, kW−1−q].
    /// It equals <see cref="Correlate2d"/> with the flipped kernel, and the two agree exactly when the kernel
    /// is symmetric under a 180° rotation — which is why learned filters do not care which one is used.
    /// Differentiable.
    /// </summary>
    /// <param name="image">A single-channel image (H, W).</param>
    /// <param name="kernel">The filter (kH, kW), before flipping.</param>
    /// <param name="stride">Step between window positions.</param>
    /// <param name="padding">Zeros added on every side.</param>
    public static Tensor Convolve2d(Tensor image, Tensor kernel, int stride = 1, int padding = 0)
    {
        CheckSingleChannel("F.Convolve2d", image, kernel);
        return Correlate2d(image, Rotate180(kernel), stride, padding);
    }

    /// <summary>The 2-D tensor turned by 180°: r[i, j] = t[H−1−i, W−1−j] (its own inverse, so its backward is itself).</summary>
    private static Tensor Rotate180(Tensor t)
    {
        var src = Dense(t);
        var flipped = new float[src.Length];
        for (int i = 0; i < src.Length; i++) flipped[i] = src[src.Length - 1 - i];   // row-major: reversing the whole array reverses rows and columns
        return Tensor.Record(new Tensor(flipped, t.Shape), "Rotate180", [t], g => [Rotate180(g)]);
    }

    private static void CheckSingleChannel(string who, Tensor image, Tensor kernel)
    {
        if (image.Rank != 2)
            throw new ShapeException($"{who}: expected a single-channel image (H, W), got {image.Shape}; for batches of multi-channel images use F.Conv2d.");
        if (kernel.Rank != 2)
            throw new ShapeException($"{who}: expected a 2-D kernel (kH, kW), got {kernel.Shape}.");
    }

    // ───────────────────────────────────────────────────────────────── output size and validation

    /// <summary>
    /// The number of window positions along one axis: ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1 — with dilation 1,
    /// ⌊(n + 2p − k)/s⌋ + 1. Layers floor like PyTorch, silently ignoring the last rows/columns when the
    /// windows do not tile the input; <paramref name="strict"/> makes that an error that explains which
    /// positions are left out and which padding fixes it.
    /// </summary>
    /// <param name="inputSize">n: the input's height or width.</param>
    /// <param name="kernelSize">k: the kernel's height or width.</param>
    /// <param name="stride">s: step between window positions.</param>
    /// <param name="padding">p: zeros added on each side.</param>
    /// <param name="dilation">d: spacing between kernel taps.</param>
    /// <param name="strict">If true, throw unless the windows cover the padded input exactly.</param>
    /// <exception cref="ShapeException">The kernel is larger than the padded input.</exception>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range, or (strict) the windows do not tile the input.</exception>
    /// <example><c>F.ConvOutputSize(7, 3, stride: 2)</c> is 3; <c>F.ConvOutputSize(7, 3, stride: 3, strict: true)</c> throws and suggests padding 1.</example>
    public static int ConvOutputSize(int inputSize, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, bool strict = false)
    {
        const string who = "F.ConvOutputSize";
        if (inputSize < 0) throw new ArgumentException($"{who}: the input size cannot be negative, got {inputSize}.");
        CheckWindowParameters(who, (kernelSize, kernelSize), (stride, stride), Padding2d.Symmetric((padding, padding)), (dilation, dilation));
        return OutputSize(who, "", inputSize, kernelSize, stride, padding, padding, dilation, strict, "");
    }

    /// <summary>Checks the window hyper-parameters: kernel, stride and dilation at least 1, padding at least 0.</summary>
    internal static void CheckWindowParameters(string who, (int H, int W) kernel, (int H, int W) stride, Padding2d padding, (int H, int W) dilation)
    {
        if (kernel.H < 1 || kernel.W < 1)
            throw new ArgumentException($"{who}: the kernel size must be at least 1, got {Pair(kernel)}.");
        if (stride.H < 1 || stride.W < 1)
            throw new ArgumentException($"{who}: the stride must be at least 1, got {Pair(stride)}. The stride s is the step between window positions; the output size ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1 divides by it.");
        if (padding.Top < 0 || padding.Bottom < 0 || padding.Left < 0 || padding.Right < 0)
            throw new ArgumentException($"{who}: padding cannot be negative, got {padding}. To crop an image use Narrow.");
        if (dilation.H < 1 || dilation.W < 1)
            throw new ArgumentException($"{who}: the dilation must be at least 1 (1 = adjacent taps), got {Pair(dilation)}. A dilated kernel spans d·(k − 1) + 1 pixels.");
    }

    /// <summary>Checks a convolution's input (N, C, H, W), weight (O, C, kH, kW) and bias (O) against each other.</summary>
    private static void CheckConvShapes(string who, Tensor input, Tensor weight, Tensor? bias)
    {
        if (weight.Rank != 4)
            throw new ShapeException($"{who}: expected a weight (out_channels, in_channels, kH, kW), got {weight.Shape}.");
        if (input.Rank != 4 || input.Size(1) != weight.Size(1))
            throw new ShapeException($"{who}: weight {weight.Shape} expects input (N, {weight.Size(1)}, H, W), got {input.Shape}.{SingleImageHint(input, weight.Size(1))}");
        if (bias is not null && (bias.Rank != 1 || bias.Size(0) != weight.Size(0)))
            throw new ShapeException($"{who}: weight {weight.Shape} needs a bias of shape ({weight.Size(0)}), one value per filter; got {bias.Shape}.");
    }

    /// <summary>A hint for the classic mistake of passing one image (C, H, W) where a batch is expected.</summary>
    internal static string SingleImageHint(Tensor input, int channels) =>
        input.Rank == 3 && input.Size(0) == channels ? " For a single image (C, H, W), add the batch axis with Unsqueeze(0)." : "";

    /// <summary>
    /// The window positions of a convolution or pooling over the last two axes of <paramref name="input"/>
    /// (floored like PyTorch); a kernel larger than the padded input is a <see cref="ShapeException"/> naming
    /// <paramref name="who"/>, the formula and <paramref name="shapes"/>.
    /// </summary>
    internal static WindowGeometry Window(string who, Shape input, (int H, int W) kernel, (int H, int W) stride, Padding2d padding, (int H, int W) dilation, string shapes)
    {
        int h = input[-2], w = input[-1];
        int outH = OutputSize(who, "height", h, kernel.H, stride.H, padding.Top, padding.Bottom, dilation.H, false, shapes);
        int outW = OutputSize(who, "width", w, kernel.W, stride.W, padding.Left, padding.Right, dilation.W, false, shapes);
        return new WindowGeometry(h, w, kernel.H, kernel.W, stride.H, stride.W, padding.Top, padding.Left, dilation.H, dilation.W, outH, outW);
    }

    /// <summary>⌊(n + before + after − d·(k − 1) − 1)/s⌋ + 1 along one axis, with the explanations when it fails.</summary>
    private static int OutputSize(string who, string axis, int n, int k, int s, int before, int after, int d, bool strict, string shapes)
    {
        int extent = d * (k - 1) + 1;                 // pixels the (dilated) kernel spans
        int room = n + before + after - extent;       // how far the window can move
        string along = axis == "" ? "" : $" {axis}";
        string context = shapes == "" ? "" : $" ({shapes})";
        if (room < 0)
            throw new ShapeException(
                $"{who}: the kernel{along} {Extent(k, d)} is larger than the padded input{along} {n} + {Pads(before, after)} = {n + before + after}{context}: " +
                $"output{along} ⌊{Formula(n, k, s, before, after, d)}⌋ + 1 = {FloorDiv(room, s) + 1}, but there must be at least one window position. " +
                "Use a smaller kernel, more padding or a larger input.");
        if (strict && room % s != 0)
            throw new ArgumentException(TilingMessage(who, n, k, s, before, d, room));
        return room / s + 1;
    }

    /// <summary>Why a kernel/stride pair does not tile the input, and the padding that would fix it.</summary>
    private static string TilingMessage(string who, int n, int k, int s, int p, int d, int room)
    {
        double exact = (double)room / s + 1;
        int windows = room / s + 1, covered = (windows - 1) * s + d * (k - 1) + 1, missed = room % s;
        string message =
            $"{who}: a kernel of size {Extent(k, d)} with stride {s} does not tile an input of size {n} with padding {p}: " +
            $"{Formula(n, k, s, p, p, d)} + 1 = {exact.ToString("0.##", CultureInfo.InvariantCulture)} is not a whole number. " +
            $"The {windows} windows cover positions 0–{covered - 1} of the {n + 2 * p} padded positions, so the last {missed} row(s)/column(s) would never be covered " +
            $"(layers floor to {windows} like PyTorch, silently dropping them). ";
        for (int fix = 0; fix <= p + s; fix++)
        {
            int fixedRoom = n + 2 * fix - d * (k - 1) - 1;
            if (fix != p && fixedRoom >= 0 && fixedRoom % s == 0)
                return message + $"Padding {fix} fixes it: {Formula(n, k, s, fix, fix, d)} + 1 = {fixedRoom / s + 1}.";
        }
        return message + $"No symmetric padding fixes it (n − kernel extent is odd and the stride is even): pad or crop one side by one pixel, or use another stride.";
    }

    /// <summary>"(7 + 2·0 − 3)/3", or with dilation "(7 + 2·0 − 2·(3 − 1) − 1)/3": the output size is this plus 1 (floored).</summary>
    private static string Formula(int n, int k, int s, int before, int after, int d) =>
        d == 1 ? $"({n} + {Pads(before, after)} − {k})/{s}" : $"({n} + {Pads(before, after)} − {d}·({k} − 1) − 1)/{s}";

    private static string Pads(int before, int after) => before == after ? $"2·{before}" : $"{before} + {after}";

    private static string Extent(int k, int d) => d == 1 ? $"{k}" : $"{k} (dilated by {d} to span {d * (k - 1) + 1})";

    private static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);

    /// <summary>"3" for (3, 3), "(3, 1)" otherwise.</summary>
    internal static string Pair((int H, int W) p) => p.H == p.W ? $"{p.H}" : $"({p.H}, {p.W})";

    /// <summary>
    /// The padding named by PyTorch's <c>"valid"</c> (none) or <c>"same"</c> (total d·(k − 1) per axis, half
    /// before and the rest after, so the output keeps the input's size; stride 1 only).
    /// </summary>
    internal static Padding2d PaddingFromMode(string who, string mode, (int H, int W) kernel, (int H, int W) stride, (int H, int W) dilation)
    {
        switch (mode)
        {
            case "valid":
                return default;
            case "same":
                if (stride != (1, 1))
                    throw new ArgumentException($"{who}: padding \"same\" needs stride 1, got stride {Pair(stride)}: with stride s the output is about n/s, never the input's size. Give the padding as a number instead.");
                int totalH = dilation.H * (kernel.H - 1), totalW = dilation.W * (kernel.W - 1);
                return new Padding2d(totalH / 2, totalH - totalH / 2, totalW / 2, totalW - totalW / 2);
            default:
                throw new ArgumentException($"{who}: padding must be a number, \"same\" or \"valid\"; got \"{mode}\".");
        }
    }
}

/// <summary>
/// Rows of zeros added above and below, and columns added left and right, of each image. Usually
/// symmetric; <c>padding: "same"</c> with an even kernel puts the extra row/column at the bottom/right.
/// </summary>
internal readonly record struct Padding2d(int Top, int Bottom, int Left, int Right)
{
    /// <summary>(rows, columns) of padding on both sides.</summary>
    public static Padding2d Symmetric((int H, int W) p) => new(p.H, p.H, p.W, p.W);

    /// <summary>True when top = bottom and left = right.</summary>
    public bool IsSymmetric => Top == Bottom && Left == Right;

    /// <summary>"(1, 1)" when symmetric, else "(top 0, bottom 1, left 0, right 1)".</summary>
    public override string ToString() =>
        IsSymmetric ? $"({Top}, {Left})" : $"(top {Top}, bottom {Bottom}, left {Left}, right {Right})";
}
