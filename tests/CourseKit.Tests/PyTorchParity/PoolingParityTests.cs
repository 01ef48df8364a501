namespace CourseKit.Tests.PyTorchParity;

/// <summary>MaxPool2d, AvgPool2d and AdaptiveAvgPool2d against their nn counterparts (outputs and input gradients).</summary>
public class PoolingParityTests
{
    /// <summary>The MaxPool2d fixtures (inputs without ties, so the arg-max is unambiguous).</summary>
    public static TheoryData<string> MaxPool2dCases => PyTorchFixture.Named("maxpool2d_");

    /// <summary>The AvgPool2d fixtures (count_include_pad = True, PyTorch's default).</summary>
    public static TheoryData<string> AvgPool2dCases => PyTorchFixture.Named("avgpool2d_");

    /// <summary>The AdaptiveAvgPool2d fixtures.</summary>
    public static TheoryData<string> AdaptiveAvgPool2dCases => PyTorchFixture.Named("adaptiveavgpool2d_");

    [Theory]
    [MemberData(nameof(MaxPool2dCases))]
    public void MaxPool2d_matches_PyTorch(string fixture)
    {
        var f = PyTorchFixture.Load(fixture);
        Parity.CheckModule(f, new MaxPool2d(f.Int("kernel_size"), f.Int("stride"), f.Int("padding")));
    }

    [Theory]
    [MemberData(nameof(AvgPool2dCases))]
    public void AvgPool2d_matches_PyTorch(string fixture)
    {
        var f = PyTorchFixture.Load(fixture);
        Parity.CheckModule(f, new AvgPool2d(f.Int("kernel_size"), f.Int("stride"), f.Int("padding"), f.Bool("count_include_pad")));
    }

    [Theory]
    [MemberData(nameof(AdaptiveAvgPool2dCases))]
    public void AdaptiveAvgPool2d_matches_PyTorch(string fixture)
    {
        var f = PyTorchFixture.Load(fixture);
        Parity.CheckModule(f, new AdaptiveAvgPool2d(f.Pair("output_size")));
    }
}
