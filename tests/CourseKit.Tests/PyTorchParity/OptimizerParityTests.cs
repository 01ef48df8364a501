namespace CourseKit.Tests.PyTorchParity;

/// <summary>
/// SGD and Adam against torch.optim: a Linear(4, 3) model's weight and bias are given the same fixed
/// gradients as in PyTorch for three steps (so momentum buffers and bias corrections matter), and the
/// weights after every step must agree.
/// </summary>
public class OptimizerParityTests
{
    /// <summary>SGD: plain, with momentum and weight decay, and Nesterov.</summary>
    public static TheoryData<string> SgdCases => PyTorchFixture.Named("sgd_");

    /// <summary>Adam with and without weight decay.</summary>
    public static TheoryData<string> AdamCases => PyTorchFixture.Named("adam");

    [Theory]
    [MemberData(nameof(SgdCases))]
    public void SGD_matches_PyTorch_over_three_steps(string fixture)
    {
        var f = PyTorchFixture.Load(fixture);
        CheckSteps(f, parameters => new SGD(parameters, f.Float("lr"), f.Float("momentum"), f.Float("dampening"),
                                            f.Float("weight_decay"), f.Bool("nesterov")));
    }

    [Theory]
    [MemberData(nameof(AdamCases))]
    public void Adam_matches_PyTorch_over_three_steps(string fixture)
    {
        var f = PyTorchFixture.Load(fixture);
        var betas = f.Config.GetProperty("betas");
        CheckSteps(f, parameters => new Adam(parameters, f.Float("lr"), betas[0].GetSingle(), betas[1].GetSingle(),
                                             f.Float("eps"), f.Float("weight_decay")));
    }

    /// <summary>Loads the initial weights, then for each recorded step sets the gradients, steps, and compares the weights.</summary>
    private static void CheckSteps(PyTorchFixture f, Func<IEnumerable<Parameter>, Optimizer> create)
    {
        var model = new Linear(4, 3);
        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        using (Tensor.NoGrad())
            foreach (var (name, p) in parameters) p.CopyFrom(PyTorchFixture.ReadTensor(f.Root.GetProperty("initial").GetProperty(name)));
        var optimizer = create(model.Parameters());

        int step = 0;
        foreach (var recorded in f.Root.GetProperty("steps").EnumerateArray())
        {
            step++;
            foreach (var (name, p) in parameters) p.Grad = PyTorchFixture.ReadTensor(recorded.GetProperty("grads").GetProperty(name));
            optimizer.Step();
            foreach (var (name, p) in parameters)
                Parity.Close(PyTorchFixture.ReadTensor(recorded.GetProperty("after").GetProperty(name)), p, f.Name, $"{name} after step {step}");
        }
    }
}
