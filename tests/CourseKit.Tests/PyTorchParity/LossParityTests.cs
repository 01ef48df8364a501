namespace CourseKit.Tests.PyTorchParity;

/// <summary>CrossEntropyLoss, NLLLoss and MSELoss against their nn counterparts: the loss and d(loss)/d(input), mean and sum.</summary>
public class LossParityTests
{
    /// <summary>CrossEntropyLoss with mean and sum reduction.</summary>
    public static TheoryData<string> CrossEntropyCases => PyTorchFixture.Named("crossentropyloss_");

    /// <summary>NLLLoss with mean and sum reduction.</summary>
    public static TheoryData<string> NllCases => PyTorchFixture.Named("nllloss_");

    /// <summary>MSELoss with mean and sum reduction.</summary>
    public static TheoryData<string> MseCases => PyTorchFixture.Named("mseloss_");

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void CrossEntropyLoss_matches_PyTorch(string fixture) =>
        CheckLoss(PyTorchFixture.Load(fixture), r => new CrossEntropyLoss(r));

    [Theory]
    [MemberData(nameof(NllCases))]
    public void NLLLoss_matches_PyTorch(string fixture) =>
        CheckLoss(PyTorchFixture.Load(fixture), r => new NLLLoss(r));

    [Theory]
    [MemberData(nameof(MseCases))]
    public void MSELoss_matches_PyTorch(string fixture) =>
        CheckLoss(PyTorchFixture.Load(fixture), r => new MSELoss(r));

    /// <summary>Computes the loss, back-propagates the fixture's upstream gradient (0.75), and compares loss and input gradient.</summary>
    private static void CheckLoss(PyTorchFixture f, Func<Reduction, Loss> create)
    {
        var reduction = f.String("reduction") == "sum" ? Reduction.Sum : Reduction.Mean;
        var input = f["input"].WithGrad();
        var loss = create(reduction).Call(input, f["target"]);
        loss.Backward(f["grad_output"]);

        Parity.Close(f, "output", loss);
        Parity.Close(f, "grad_input", input.Grad);
    }
}
