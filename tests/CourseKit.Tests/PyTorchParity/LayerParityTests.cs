namespace CourseKit.Tests.PyTorchParity;

/// <summary>Linear, Dropout (evaluation), the activation layers and PReLU against their nn counterparts.</summary>
public class LayerParityTests
{
    /// <summary>The Linear fixtures, with and without bias.</summary>
    public static TheoryData<string> LinearCases => PyTorchFixture.Named("linear");

    /// <summary>ReLU, LeakyReLU, ELU, Sigmoid, Tanh, Softmax and LogSoftmax.</summary>
    public static TheoryData<string> ActivationCases => PyTorchFixture.Named("activation_");

    /// <summary>PReLU with one shared slope and with one slope per channel.</summary>
    public static TheoryData<string> PReLUCases => PyTorchFixture.Named("prelu_");

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void Linear_matches_PyTorch(string fixture)
    {
        var f = PyTorchFixture.Load(fixture);
        Parity.CheckModule(f, new Linear(f.Int("in_features"), f.Int("out_features"), f.Bool("bias")));
    }

    [Fact]
    public void Dropout_in_evaluation_is_the_identity_like_PyTorch()
    {
        var f = PyTorchFixture.Load("dropout_eval");
        var dropout = new Dropout(f.Float("p"));
        dropout.Eval();
        Parity.CheckModule(f, dropout);
    }

    [Theory]
    [MemberData(nameof(ActivationCases))]
    public void Activation_matches_PyTorch(string fixture)
    {
        var f = PyTorchFixture.Load(fixture);
        Module activation = f.String("function") switch
        {
            "relu" => new ReLU(),
            "leakyrelu" => new LeakyReLU(f.Float("negative_slope")),
            "elu" => new ELU(f.Float("alpha")),
            "sigmoid" => new Sigmoid(),
            "tanh" => new Tanh(),
            "softmax" => new Softmax(f.Int("dim")),
            "logsoftmax" => new LogSoftmax(f.Int("dim")),
            var other => throw new NotSupportedException($"{fixture}: unknown activation '{other}'."),
        };
        Parity.CheckModule(f, activation);
    }

    [Theory]
    [MemberData(nameof(PReLUCases))]
    public void PReLU_matches_PyTorch(string fixture)
    {
        var f = PyTorchFixture.Load(fixture);
        Parity.CheckModule(f, new PReLU(f.Int("num_parameters")));
    }
}
