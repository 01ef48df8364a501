namespace CourseKit.Tests.PyTorchParity;

/// <summary>Conv2d against nn.Conv2d: stride, padding (including "same"), dilation, non-square kernels, with and without bias.</summary>
public class ConvolutionParityTests
{
    /// <summary>The Conv2d fixtures.</summary>
    public static TheoryData<string> Conv2dCases => PyTorchFixture.Named("conv2d_");

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2d_matches_PyTorch(string fixture)
    {
        var f = PyTorchFixture.Load(fixture);
        var kernel = f.Pair("kernel_size");
        var stride = f.Pair("stride");
        var dilation = f.Pair("dilation");
        int cin = f.Int("in_channels"), cout = f.Int("out_channels");
        bool bias = f.Bool("bias");

        var conv = f.Config.GetProperty("padding").ValueKind == System.Text.Json.JsonValueKind.String
            ? new Conv2d(cin, cout, kernel, f.String("padding"), stride.H, dilation.H, bias)
            : new Conv2d(cin, cout, kernel, stride, f.Pair("padding"), dilation, bias);

        Parity.CheckModule(f, conv);
    }
}
