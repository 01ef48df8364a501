namespace CourseKit.Tests.Convolution;

/// <summary>The fast im2col + GEMM convolution against the nested-loop textbook definition.</summary>
public class Conv2dReferenceTests
{
    // batch, channels, height, width, filters, kH, kW, stride (H, W), padding (H, W), dilation (H, W)
    public static TheoryData<int, int, int, int, int, int, int, (int, int), (int, int), (int, int)> Shapes => new()
    {
        { 2, 3, 7, 7, 4, 3, 3, (1, 1), (0, 0), (1, 1) },
        { 2, 3, 9, 8, 5, 3, 3, (2, 2), (1, 1), (1, 1) },
        { 1, 2, 11, 9, 3, 5, 3, (3, 2), (2, 1), (1, 1) },
        { 3, 2, 10, 10, 4, 3, 3, (1, 1), (2, 2), (2, 2) },
        { 2, 4, 6, 7, 3, 1, 1, (2, 2), (0, 0), (1, 1) },
        { 1, 1, 8, 8, 2, 4, 2, (1, 3), (1, 0), (1, 2) },
        { 2, 3, 5, 5, 2, 5, 5, (1, 1), (0, 0), (1, 1) },
        { 1, 2, 4, 6, 3, 3, 3, (2, 1), (3, 3), (1, 1) },
        // Sizes that fill the fast kernels' register tiles (8 filters × 32 pixels, 32 taps, 64-pixel
        // chunks) and leave partial ones: 12 filters, 171 taps, 19 channels (a partial 16-channel block), 33×31 pixels, several images per thread.
        { 3, 19, 33, 31, 12, 3, 3, (1, 1), (1, 1), (1, 1) },
        { 4, 32, 16, 16, 40, 3, 3, (1, 1), (1, 1), (1, 1) },
        { 2, 6, 14, 14, 16, 5, 5, (1, 1), (2, 2), (1, 1) },
        { 2, 3, 32, 32, 32, 3, 3, (1, 1), (1, 1), (1, 1) },
        { 2, 8, 12, 12, 8, 3, 3, (1, 1), (0, 0), (2, 2) },
        { 2, 8, 26, 26, 9, 3, 3, (1, 1), (0, 0), (1, 1) },      // no padding: 24-pixel output rows
        { 1, 17, 13, 28, 8, 3, 3, (1, 1), (2, 2), (1, 1) },     // padding wider than the kernel's reach
        { 2, 32, 8, 8, 16, 3, 3, (1, 1), (1, 1), (1, 1) },      // 8-pixel rows: implicit GEMM forward, direct input gradient
        { 2, 40, 8, 8, 32, 3, 3, (1, 1), (1, 1), (1, 1) },      // 8-pixel rows, large filters: implicit GEMM both ways
        { 2, 16, 14, 14, 7, 3, 3, (1, 1), (0, 0), (1, 1) },     // 16 channels per vector in the weight gradient, no padding
        { 1, 32, 13, 28, 5, 3, 3, (1, 1), (2, 2), (1, 1) },     // … and padding 2
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Fast_Conv2d_forward_and_backward_equal_the_reference(int n, int c, int h, int w, int o, int kH, int kW,
        (int, int) stride, (int, int) padding, (int, int) dilation)
    {
        var random = new Random(n * 1000 + c * 100 + h * 10 + w);
        var x = ConvTestData.Randn(random, n, c, h, w).WithGrad();
        var weight = ConvTestData.Randn(random, o, c, kH, kW).WithGrad();
        var bias = ConvTestData.Randn(random, o).WithGrad();

        var y = F.Conv2d(x, weight, bias, stride, padding, dilation);
        var gradOutput = ConvTestData.Randn(random, y.Shape.ToArray());
        y.Backward(gradOutput);

        ConvTestData.AssertClose(ConvolutionReference.Forward(x, weight, bias, stride, padding, dilation), y);
        ConvTestData.AssertClose(ConvolutionReference.InputGradient(gradOutput, weight, x.Shape, stride, padding, dilation), x.Grad!);
        ConvTestData.AssertClose(ConvolutionReference.WeightGradient(x, gradOutput, weight.Shape, stride, padding, dilation), weight.Grad!);
        ConvTestData.AssertClose(ConvolutionReference.BiasGradient(gradOutput), bias.Grad!);
    }

    [Theory]
    [InlineData(5, 2, 6, 3)]        // small: im2col + Gemm
    [InlineData(8, 16, 32, 16)]     // CIFAR-sized: the direct forward, input gradient and weight gradient
    [InlineData(8, 64, 8, 32)]      // 8×8 images: the implicit-GEMM forward and input gradient
    public void Splitting_the_batch_across_threads_matches_one_thread_and_repeats_exactly(int n, int c, int size, int o)
    {
        var random = new Random(11);
        var x = ConvTestData.Randn(random, n, c, size, size);
        var weight = ConvTestData.Randn(random, o, c, 3, 3);
        var bias = ConvTestData.Randn(random, o);
        var gradOutput = ConvTestData.Randn(random, n, o, size, size);

        int saved = CourseKit.Kernels.Gemm.MaxThreads;
        try
        {
            CourseKit.Kernels.Gemm.MaxThreads = 1;
            var (y1, dx1, dw1) = ForwardBackward(x, weight, bias, gradOutput);
            CourseKit.Kernels.Gemm.MaxThreads = 2;
            var (y2, dx2, dw2) = ForwardBackward(x, weight, bias, gradOutput);
            var (y3, dx3, dw3) = ForwardBackward(x, weight, bias, gradOutput);
            ConvTestData.AssertClose(y1, y2);
            ConvTestData.AssertClose(dx1, dx2);
            ConvTestData.AssertClose(dw1, dw2);
            Assert.Equal(dw2.ToArray(), dw3.ToArray());                  // same thread count: bit-identical
            Assert.Equal(y2.ToArray(), y3.ToArray());
        }
        finally { CourseKit.Kernels.Gemm.MaxThreads = saved; }
    }

    [Fact]
    public void Pointwise_1x1_convolution_skips_im2col_and_matches_the_reference()
    {
        var random = new Random(12);
        var x = ConvTestData.Randn(random, 3, 4, 5, 7);
        var weight = ConvTestData.Randn(random, 6, 4, 1, 1);
        var bias = ConvTestData.Randn(random, 6);
        var gradOutput = ConvTestData.Randn(random, 3, 6, 5, 7);
        var (y, dx, dw) = ForwardBackward(x, weight, bias, gradOutput, padding: 0);
        ConvTestData.AssertClose(ConvolutionReference.Forward(x, weight, bias, (1, 1), (0, 0), (1, 1)), y);
        ConvTestData.AssertClose(ConvolutionReference.InputGradient(gradOutput, weight, x.Shape, (1, 1), (0, 0), (1, 1)), dx);
        ConvTestData.AssertClose(ConvolutionReference.WeightGradient(x, gradOutput, weight.Shape, (1, 1), (0, 0), (1, 1)), dw);
    }

    private static (Tensor y, Tensor dx, Tensor dw) ForwardBackward(Tensor x, Tensor weight, Tensor bias, Tensor gradOutput, int padding = 1)
    {
        var xs = x.Detach().Clone().WithGrad();
        var ws = weight.Detach().Clone().WithGrad();
        var y = F.Conv2d(xs, ws, bias, padding: padding);
        y.Backward(gradOutput);
        return (y.Detach(), xs.Grad!, ws.Grad!);
    }

    [Fact]
    public void Conv2d_reads_permuted_and_sliced_inputs_correctly()
    {
        var random = new Random(12);
        var nhwc = ConvTestData.Randn(random, 2, 6, 5, 3);
        var x = nhwc.Permute(0, 3, 1, 2);                               // a non-contiguous (2, 3, 6, 5) view
        var weight = ConvTestData.Randn(random, 4, 3, 3, 3);

        ConvTestData.AssertClose(ConvolutionReference.Forward(x, weight), F.Conv2d(x, weight));
        ConvTestData.AssertClose(ConvolutionReference.Forward(x.Narrow(0, 1, 1), weight), F.Conv2d(x.Contiguous().Narrow(0, 1, 1), weight));
    }
}
