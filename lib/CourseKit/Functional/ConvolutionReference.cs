namespace CourseKit;

/// <summary>
/// The textbook definition of a 2-D convolution layer and its gradients, written as plain nested loops:
/// slow, but every line is the formula. <see cref="F.Conv2d(Tensor, Tensor, Tensor?, int, int, int)"/>
/// computes the same numbers with im2col and a fast matrix multiply; the tests check that they agree.
/// <para>
/// Notation: input x (N, C, H, W), weight w (O, C, kH, kW), output y (N, O, outH, outW), stride s,
/// padding p, dilation d. Output pixel (i, j) looks at input pixel (i·s + u·d − p, j·s + v·d − p) for
/// kernel tap (u, v); pixels outside the image are the zeros of the padding.
/// </para>
/// </summary>
public static class ConvolutionReference
{
    /// <summary>
    /// Forward pass: y[n, o, i, j] = b[o] + Σ_c Σ_u Σ_v w[o, c, u, v] · x[n, c, i·s + u·d − p, j·s + v·d − p].
    /// </summary>
    /// <param name="input">x, shape (N, C, H, W).</param>
    /// <param name="weight">w, shape (O, C, kH, kW).</param>
    /// <param name="bias">b, shape (O), or null.</param>
    /// <param name="stride">(vertical, horizontal) stride; default (1, 1).</param>
    /// <param name="padding">(vertical, horizontal) zero padding on each side; default (0, 0).</param>
    /// <param name="dilation">(vertical, horizontal) dilation; default (1, 1).</param>
    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias = null,
        (int H, int W)? stride = null, (int H, int W)? padding = null, (int H, int W)? dilation = null)
    {
        var (s, p, d) = (stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1));
        int N = input.Size(0), C = input.Size(1), H = input.Size(2), W = input.Size(3);
        int O = weight.Size(0), kH = weight.Size(2), kW = weight.Size(3);
        int outH = (H + 2 * p.H - d.H * (kH - 1) - 1) / s.H + 1;
        int outW = (W + 2 * p.W - d.W * (kW - 1) - 1) / s.W + 1;
        var output = Tensor.Zeros(N, O, outH, outW);
        for (int n = 0; n < N; n++)
            for (int o = 0; o < O; o++)
                for (int i = 0; i < outH; i++)
                    for (int j = 0; j < outW; j++)
                    {
                        double sum = bias is null ? 0 : bias[o].Item();
                        for (int c = 0; c < C; c++)
                            for (int u = 0; u < kH; u++)
                                for (int v = 0; v < kW; v++)
                                {
                                    int y = i * s.H + u * d.H - p.H, x = j * s.W + v * d.W - p.W;
                                    if (y >= 0 && y < H && x >= 0 && x < W)
                                        sum += weight[o, c, u, v] * input[n, c, y, x];
                                }
                        output[n, o, i, j] = (float)sum;
                    }
        return output;
    }

    /// <summary>
    /// Gradient with respect to the input: every input pixel collects the output gradients of the windows
    /// that saw it, weighted by the tap that saw it — dx[n, c, i·s + u·d − p, j·s + v·d − p] += dy[n, o, i, j] · w[o, c, u, v].
    /// </summary>
    /// <param name="gradOutput">dy = d(loss)/dy, shape (N, O, outH, outW).</param>
    /// <param name="weight">w, shape (O, C, kH, kW).</param>
    /// <param name="inputShape">The shape (N, C, H, W) of x.</param>
    /// <param name="stride">As in <see cref="Forward"/>.</param>
    /// <param name="padding">As in <see cref="Forward"/>.</param>
    /// <param name="dilation">As in <see cref="Forward"/>.</param>
    public static Tensor InputGradient(Tensor gradOutput, Tensor weight, Shape inputShape,
        (int H, int W)? stride = null, (int H, int W)? padding = null, (int H, int W)? dilation = null)
    {
        var (s, p, d) = (stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1));
        int N = inputShape[0], C = inputShape[1], H = inputShape[2], W = inputShape[3];
        int O = weight.Size(0), kH = weight.Size(2), kW = weight.Size(3);
        int outH = gradOutput.Size(2), outW = gradOutput.Size(3);
        var gradInput = Tensor.Zeros(inputShape.ToArray());
        for (int n = 0; n < N; n++)
            for (int o = 0; o < O; o++)
                for (int i = 0; i < outH; i++)
                    for (int j = 0; j < outW; j++)
                        for (int c = 0; c < C; c++)
                            for (int u = 0; u < kH; u++)
                                for (int v = 0; v < kW; v++)
                                {
                                    int y = i * s.H + u * d.H - p.H, x = j * s.W + v * d.W - p.W;
                                    if (y >= 0 && y < H && x >= 0 && x < W)
                                        gradInput[n, c, y, x] += gradOutput[n, o, i, j] * weight[o, c, u, v];
                                }
        return gradInput;
    }

    /// <summary>
    /// Gradient with respect to the weight: each tap accumulates, over the batch and every window position,
    /// the output gradient times the input pixel it saw — dw[o, c, u, v] = Σ_n Σ_i Σ_j dy[n, o, i, j] · x[n, c, i·s + u·d − p, j·s + v·d − p].
    /// </summary>
    /// <param name="input">x, shape (N, C, H, W).</param>
    /// <param name="gradOutput">dy = d(loss)/dy, shape (N, O, outH, outW).</param>
    /// <param name="weightShape">The shape (O, C, kH, kW) of w.</param>
    /// <param name="stride">As in <see cref="Forward"/>.</param>
    /// <param name="padding">As in <see cref="Forward"/>.</param>
    /// <param name="dilation">As in <see cref="Forward"/>.</param>
    public static Tensor WeightGradient(Tensor input, Tensor gradOutput, Shape weightShape,
        (int H, int W)? stride = null, (int H, int W)? padding = null, (int H, int W)? dilation = null)
    {
        var (s, p, d) = (stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1));
        int N = input.Size(0), C = input.Size(1), H = input.Size(2), W = input.Size(3);
        int O = weightShape[0], kH = weightShape[2], kW = weightShape[3];
        int outH = gradOutput.Size(2), outW = gradOutput.Size(3);
        var gradWeight = Tensor.Zeros(weightShape.ToArray());
        for (int o = 0; o < O; o++)
            for (int c = 0; c < C; c++)
                for (int u = 0; u < kH; u++)
                    for (int v = 0; v < kW; v++)
                    {
                        double sum = 0;
                        for (int n = 0; n < N; n++)
                            for (int i = 0; i < outH; i++)
                                for (int j = 0; j < outW; j++)
                                {
                                    int y = i * s.H + u * d.H - p.H, x = j * s.W + v * d.W - p.W;
                                    if (y >= 0 && y < H && x >= 0 && x < W)
                                        sum += gradOutput[n, o, i, j] * input[n, c, y, x];
                                }
                        gradWeight[o, c, u, v] = (float)sum;
                    }
        return gradWeight;
    }

    /// <summary>Gradient with respect to the bias: every output pixel of filter o adds b[o], so db[o] = Σ_n Σ_i Σ_j dy[n, o, i, j].</summary>
    /// <param name="gradOutput">dy = d(loss)/dy, shape (N, O, outH, outW).</param>
    public static Tensor BiasGradient(Tensor gradOutput)
    {
        int N = gradOutput.Size(0), O = gradOutput.Size(1), outH = gradOutput.Size(2), outW = gradOutput.Size(3);
        var gradBias = new float[O];
        for (int o = 0; o < O; o++)
        {
            double sum = 0;
            for (int n = 0; n < N; n++)
                for (int i = 0; i < outH; i++)
                    for (int j = 0; j < outW; j++)
                        sum += gradOutput[n, o, i, j];
            gradBias[o] = (float)sum;
        }
        return Tensor.FromArray(gradBias, O);
    }
}
