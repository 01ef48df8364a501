// ─────────────────────────────────────────────────────────────────────────────────────────────
// Im2Col: turning a convolution into one matrix multiply.
//
// A convolution slides a kH×kW window over every channel of the image and takes a dot product
// with the filter at each position. im2col ("image to columns") copies the pixels under each
// window position into one column of a matrix:
//
//     columns[(c·kH + p)·kW + q,  i·outW + j] = image[c, i·sH − padTop + p·dH, j·sW − padLeft + q·dW]
//                                               (0 where that position falls in the padding)
//
// so the matrix has C·kH·kW rows (one per filter tap) and outH·outW columns (one per output
// pixel) — the same layout as PyTorch's F.unfold. Then every filter is a row of the weight
// matrix W (O × C·kH·kW), and the whole convolution is Y = W · columns (O × outH·outW).
//
// col2im ("fold") is the adjoint: it adds every entry of a columns matrix back onto the pixel it
// was copied from. It is the backward pass of im2col, and gives the input gradient of a
// convolution from dColumns = Wᵀ · dY.
//
// Speed: each (tap, output row) pair is one run of outW values. With horizontal stride 1 that run
// is a contiguous slice of an image row, so it is copied (or added) as a block; the padding at
// both ends is found once per tap instead of being tested per pixel.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Numerics.Tensors;

namespace CourseKit.Kernels;

/// <summary>
/// Where the windows of a 2-D convolution or pooling fall on one H×W image plane: kernel size,
/// stride, padding (top and left; the bottom/right padding only shows in the output size),
/// dilation, and the resulting output size.
/// </summary>
internal readonly record struct WindowGeometry(
    int Height, int Width,
    int KernelH, int KernelW,
    int StrideH, int StrideW,
    int PadTop, int PadLeft,
    int DilationH, int DilationW,
    int OutHeight, int OutWidth)
{
    /// <summary>Pixels in one input plane, H·W.</summary>
    public int InputArea => Height * Width;

    /// <summary>Pixels in one output plane, outH·outW (the number of window positions).</summary>
    public int OutputArea => OutHeight * OutWidth;

    /// <summary>Taps of the kernel, kH·kW.</summary>
    public int KernelArea => KernelH * KernelW;
}

/// <summary>The fast im2col / col2im kernels used by <see cref="F.Conv2d(Tensor, Tensor, Tensor?, int, int, int)"/>.</summary>
internal static class Im2Col
{
    /// <summary>
    /// im2col: writes the (C·kH·kW) × (outH·outW) columns matrix of one image (C, H, W) into
    /// <paramref name="columns"/>, whose rows are <paramref name="ldColumns"/> floats apart (so several
    /// images can sit side by side in one wide matrix).
    /// </summary>
    public static void Unfold(ReadOnlySpan<float> image, int channels, in WindowGeometry g, Span<float> columns, int ldColumns)
    {
        int outW = g.OutWidth, area = g.InputArea;
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * area, area);
            for (int p = 0; p < g.KernelH; p++)
                for (int q = 0; q < g.KernelW; q++)
                {
                    int row = (c * g.KernelH + p) * g.KernelW + q;
                    int dy = p * g.DilationH - g.PadTop, dx = q * g.DilationW - g.PadLeft;
                    var (j0, j1) = InsideRange(dx, g.StrideW, g.Width, outW);
                    for (int i = 0; i < g.OutHeight; i++)
                    {
                        var dst = columns.Slice(row * ldColumns + i * outW, outW);
                        int y = i * g.StrideH + dy;
                        if (y < 0 || y >= g.Height || j0 >= j1) { dst.Clear(); continue; }
                        dst[..j0].Clear();
                        dst[j1..].Clear();
                        var src = plane.Slice(y * g.Width, g.Width);
                        if (g.StrideW == 1) src.Slice(j0 + dx, j1 - j0).CopyTo(dst[j0..j1]);
                        else for (int j = j0; j < j1; j++) dst[j] = src[j * g.StrideW + dx];
                    }
                }
        }
    }

    /// <summary>
    /// col2im: adds every entry of a columns matrix (laid out as by <see cref="Unfold"/>) onto the pixel of
    /// <paramref name="image"/> (C, H, W) it came from. Overlapping windows add up; padding entries are dropped.
    /// </summary>
    public static void Fold(ReadOnlySpan<float> columns, int ldColumns, int channels, in WindowGeometry g, Span<float> image)
    {
        int outW = g.OutWidth, area = g.InputArea;
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * area, area);
            for (int p = 0; p < g.KernelH; p++)
                for (int q = 0; q < g.KernelW; q++)
                {
                    int row = (c * g.KernelH + p) * g.KernelW + q;
                    int dy = p * g.DilationH - g.PadTop, dx = q * g.DilationW - g.PadLeft;
                    var (j0, j1) = InsideRange(dx, g.StrideW, g.Width, outW);
                    if (j0 >= j1) continue;
                    for (int i = 0; i < g.OutHeight; i++)
                    {
                        int y = i * g.StrideH + dy;
                        if (y < 0 || y >= g.Height) continue;
                        var src = columns.Slice(row * ldColumns + i * outW + j0, j1 - j0);
                        var dst = plane.Slice(y * g.Width, g.Width);
                        if (g.StrideW == 1)
                        {
                            var run = dst.Slice(j0 + dx, j1 - j0);
                            TensorPrimitives.Add(run, src, run);
                        }
                        else for (int j = j0; j < j1; j++) dst[j * g.StrideW + dx] += src[j - j0];
                    }
                }
        }
    }

    /// <summary>
    /// The output columns j0 ≤ j &lt; j1 whose input column j·stride + offset lies inside 0..width−1
    /// (the others read padding).
    /// </summary>
    private static (int j0, int j1) InsideRange(int offset, int stride, int width, int outWidth)
    {
        int j0 = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int j1 = width - offset <= 0 ? 0 : (width - offset + stride - 1) / stride;
        return (Math.Min(j0, outWidth), Math.Min(j1, outWidth));
    }
}
