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
// is a contiguous slice of an image row, so it is copied (or added) as a block — with AVX, 8 lanes
// at a time by masked loads that give zeros in the padding; the padding at both ends is found once
// per run instead of being tested per pixel. Gather produces any range of output pixels, which is
// how ImplicitGemmConv packs a few columns at a time without writing the whole matrix.
// ─────────────────────────────────────────────────────────────────────────────────────────────
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    public static unsafe void Unfold(ReadOnlySpan<float> image, int channels, in WindowGeometry g, Span<float> columns, int ldColumns)
    {
        if (image.Length < channels * g.InputArea || columns.Length < (channels * g.KernelArea - 1) * ldColumns + g.OutputArea)
            throw new ArgumentException("Im2Col.Unfold: the image or columns span is too short for the geometry.");
        fixed (float* pi = image, pc = columns) Gather(pi, channels, g, 0, g.OutputArea, pc, ldColumns);
    }

    /// <summary>
    /// Writes columns[k, pixel0 + j] of one image for every tap k and 0 ≤ j &lt; count to dst[k·ld + j],
    /// zeros for window positions in the padding. Output pixels come in runs along one output row; a
    /// run reads one row of every channel at the same place, so where it starts, where the padding
    /// ends and the masks that hide it are worked out once per run and reused for all channels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Gather(float* image, int channels, in WindowGeometry g, int pixel0, int count, float* dst, int ld)
    {
        int outW = g.OutWidth, height = g.Height, width = g.Width, planeSize = g.InputArea, taps = g.KernelArea;
        int oh0 = pixel0 / outW, ow0 = pixel0 % outW;
        nint channelStride = (nint)taps * ld;                      // from channel c's row for a tap to channel c + 1's
        bool vector = Avx2.IsSupported && g.StrideW == 1;
        for (int p = 0; p < g.KernelH; p++)
            for (int q = 0; q < g.KernelW; q++)
            {
                float* tapRow = dst + (nint)(p * g.KernelW + q) * ld;
                int dy = p * g.DilationH - g.PadTop, dx = q * g.DilationW - g.PadLeft;
                int oh = oh0, ow = ow0;
                for (int j = 0; j < count; oh++, ow = 0)
                {
                    int len = Math.Min(outW - ow, count - j);
                    int ih = oh * g.StrideH + dy, iw = ow * g.StrideW + dx;
                    float* d = tapRow + j;
                    j += len;
                    if ((uint)ih >= (uint)height)
                    {
                        for (int c = 0; c < channels; c++) new Span<float>(d + c * channelStride, len).Clear();
                        continue;
                    }
                    float* src = image + (nint)ih * width + iw;
                    // Lanes t with 0 ≤ iw + t·s < width read the image; the others are padding.
                    int from = iw >= 0 ? 0 : Math.Min(len, (-iw + g.StrideW - 1) / g.StrideW);
                    int to = width - iw <= 0 ? 0 : Math.Min(len, (width - iw + g.StrideW - 1) / g.StrideW);
                    if (vector) CopyRuns(src, planeSize, d, channelStride, channels, len, from, to);
                    else
                        for (int c = 0; c < channels; c++, src += planeSize, d += channelStride)
                            for (int t = 0; t < len; t++)
                                d[t] = t >= from && t < to ? src[t * g.StrideW] : 0f;
                }
            }
    }

    /// <summary>
    /// For each channel c: d[t] = src[t] for from ≤ t &lt; to and 0 for the other t &lt; len (src and d
    /// advancing by their strides per channel), 8 lanes at a time; src is never read outside [from, to).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyRuns(float* src, nint srcStride, float* d, nint dstStride, int channels, int len, int from, int to)
    {
        int full = len & ~7;
        if (from == 0 && to == len)
        {
            if (full == len && len <= 32)
            {
                for (int c = 0; c < channels; c++, src += srcStride, d += dstStride)
                    for (int t = 0; t < len; t += 8) Avx.Store(d + t, Avx.LoadVector256(src + t));
                return;
            }
        }
        // Chunks that are not wholly inside [from, to) get a load mask; a last chunk shorter than 8 a store mask.
        var lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        int firstFull = (from + 7) & ~7, lastFull = to & ~7;         // chunks [firstFull, lastFull) need no mask
        var storeMask = Vector256.LessThan(lane, Vector256.Create(len - full)).AsSingle();
        for (int c = 0; c < channels; c++, src += srcStride, d += dstStride)
            for (int t = 0; t < len; t += 8)
            {
                Vector256<float> value;
                if (t >= firstFull && t + 8 <= lastFull) value = Avx.LoadVector256(src + t);
                else
                {
                    var at = lane + Vector256.Create(t);
                    var load = (Vector256.GreaterThanOrEqual(at, Vector256.Create(from)) & Vector256.LessThan(at, Vector256.Create(to))).AsSingle();
                    value = Avx.MaskLoad(src + t, load);             // masked lanes are not read (no fault) and give 0
                }
                if (t < full) Avx.Store(d + t, value);
                else Avx.MaskStore(d + t, storeMask, value);
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
