namespace CourseKit.Tests.PyTorchParity;

/// <summary>BatchNorm1d and BatchNorm2d against nn.BatchNorm*: batch statistics and running-statistics update in training, running statistics in evaluation.</summary>
public class NormalizationParityTests
{
    /// <summary>The BatchNorm fixtures, training and evaluation.</summary>
    public static TheoryData<string> BatchNormCases => PyTorchFixture.Named("batchnorm");

    [Theory]
    [MemberData(nameof(BatchNormCases))]
    public void BatchNorm_matches_PyTorch_in_training_and_evaluation(string fixture)
    {
        var f = PyTorchFixture.Load(fixture);
        int c = f.Int("num_features");
        BatchNormBase bn = fixture.StartsWith("batchnorm2d")
            ? new BatchNorm2d(c, f.Float("eps"), f.Float("momentum"))
            : new BatchNorm1d(c, f.Float("eps"), f.Float("momentum"));
        bn.Train(f.Bool("training"));
        using (Tensor.NoGrad())
        {
            bn.RunningMean!.CopyFrom(f["running_mean_before"]);
            bn.RunningVar!.CopyFrom(f["running_var_before"]);
        }

        Parity.CheckModule(f, bn);

        if (f.Bool("training"))
        {
            Parity.Close(f, "running_mean_after", bn.RunningMean);
            Parity.Close(f, "running_var_after", bn.RunningVar);
        }
        else
        {
            Parity.Close(f, "running_mean_before", bn.RunningMean);
            Parity.Close(f, "running_var_before", bn.RunningVar);
        }
    }
}
