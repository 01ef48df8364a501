namespace CourseKit.Tests.Layers;

/// <summary>
/// Sequential fuses Conv2d → BatchNorm2d → ReLU in evaluation, Conv2d → ReLU (→ MaxPool2d), BatchNorm2d → ReLU and
/// BatchNorm2d → ReLU → MaxPool2d(2) always; all must
/// compute the same function, gradients and running statistics as the layers called one by one.
/// </summary>
public class FusedLayersTests
{
    [Fact]
    public void Conv_batchnorm_relu_in_evaluation_equals_the_layers_one_by_one()
    {
        Rng.ManualSeed(4);
        var model = new Sequential(
            new Conv2d(3, 16, 3, padding: 1), new BatchNorm2d(16), new ReLU(),     // folded and fused
            new Conv2d(16, 8, 3), new ReLU(),                                       // fused
            new Conv2d(8, 4, 1), new BatchNorm2d(4),                                // no ReLU: left alone
            new Flatten());
        for (int step = 0; step < 3; step++) model.Call(Tensor.Randn(8, 3, 10, 10) * 2 + 1);   // running statistics move away from 0 and 1
        model.Eval();
        var x = Tensor.Randn(5, 3, 10, 10);

        Tensor layerByLayer = x;
        foreach (var layer in model) layerByLayer = layer.Call(layerByLayer);          // Call, not Forward: nothing fused
        Tensor fused;
        using (Tensor.NoGrad()) fused = model.Call(x);

        Assert.Equal(layerByLayer.Shape, fused.Shape);
        var expected = layerByLayer.ToArray();
        var actual = fused.ToArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + MathF.Abs(expected[i])), $"element {i}: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void Fused_layers_in_training_give_the_same_outputs_gradients_and_statistics()
    {
        Sequential Build()
        {
            Rng.ManualSeed(5);
            return new Sequential(new Conv2d(2, 6, 3, padding: 1), new BatchNorm2d(6), new ReLU(),   // BatchNorm2d → ReLU fused
                new Conv2d(6, 4, 3, padding: 1), new ReLU(),                                            // Conv2d → ReLU fused
                new Flatten(), new Linear(4 * 5 * 5, 3));
        }
        Rng.ManualSeed(6);
        var x = Tensor.Randn(4, 2, 5, 5);
        var target = Tensor.FromArray([0, 2, 1, 2], 4);

        var fusedModel = Build();
        var plainModel = Build();
        AssertSameStep(fusedModel, plainModel, x, target);
        var plainNorm = (BatchNorm2d)plainModel[1];
        var fusedNorm = (BatchNorm2d)fusedModel[1];
        AssertClose(plainNorm.RunningMean!.ToArray(), fusedNorm.RunningMean!.ToArray());
        AssertClose(plainNorm.RunningVar!.ToArray(), fusedNorm.RunningVar!.ToArray());
    }

    [Theory]
    [InlineData(6, 6)]
    [InlineData(7, 9)]      // odd: the last row and column belong to no window and get no gradient
    public void Batchnorm_relu_maxpool_fused_equals_the_layers_one_by_one(int height, int width)
    {
        Sequential Build()
        {
            Rng.ManualSeed(7);
            return new Sequential(new Conv2d(2, 5, 3, padding: 1), new BatchNorm2d(5), new ReLU(), new MaxPool2d(2),   // fused
                new Flatten(), new Linear(5 * (height / 2) * (width / 2), 3));
        }
        Rng.ManualSeed(8);
        var x = Tensor.Randn(4, 2, height, width);
        var target = Tensor.FromArray([0, 2, 1, 2], 4);
        var fusedModel = Build();
        var plainModel = Build();
        for (int step = 0; step < 2; step++)                       // the second step starts from moved running statistics
            AssertSameStep(fusedModel, plainModel, x, target);
        AssertClose(((BatchNorm2d)plainModel[1]).RunningVar!.ToArray(), ((BatchNorm2d)fusedModel[1]).RunningVar!.ToArray());

        fusedModel.Eval(); plainModel.Eval();                       // evaluation: running statistics, same fusion
        Tensor plainEval = x;
        foreach (var layer in plainModel) plainEval = layer.Call(plainEval);
        AssertClose(plainEval.ToArray(), fusedModel.Call(x).ToArray());
    }

    [Theory]
    [InlineData(6, 6, 2, 2)]
    [InlineData(7, 9, 2, 2)]    // odd: the last row and column belong to no window
    [InlineData(7, 7, 3, 2)]    // overlapping 3×3 windows: the general pooling loop
    public void Conv_relu_maxpool_pooled_before_the_relu_equals_the_layers_one_by_one(int height, int width, int kernel, int stride)
    {
        int outH = (height - kernel) / stride + 1, outW = (width - kernel) / stride + 1;
        Sequential Build()
        {
            Rng.ManualSeed(9);
            return new Sequential(new Conv2d(2, 5, 3, padding: 1), new ReLU(), new MaxPool2d(kernel, stride),   // pooled, then ReLU
                new Flatten(), new Linear(5 * outH * outW, 3));
        }
        Rng.ManualSeed(10);
        var x = Tensor.Randn(4, 2, height, width);
        var target = Tensor.FromArray([0, 2, 1, 2], 4);
        AssertSameStep(Build(), Build(), x, target);
    }

    /// <summary>One forward and backward pass of each model, fused (Call on the Sequential) and layer by layer: same outputs and (accumulated) gradients.</summary>
    private static void AssertSameStep(Sequential fusedModel, Sequential plainModel, Tensor x, Tensor target)
    {
        var fused = fusedModel.Call(x);
        new CrossEntropyLoss().Forward(fused, target).Backward();
        Tensor plain = x;
        foreach (var layer in plainModel) plain = layer.Call(plain);       // Call, not Forward: nothing fused
        new CrossEntropyLoss().Forward(plain, target).Backward();
        AssertClose(plain.ToArray(), fused.ToArray());
        foreach (var ((name, p), (_, q)) in plainModel.NamedParameters().Zip(fusedModel.NamedParameters()))
            AssertClose(p.Grad!.ToArray(), q.Grad!.ToArray(), name);
    }

    private static void AssertClose(float[] expected, float[] actual, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + MathF.Abs(expected[i])), $"{what} element {i}: {expected[i]} vs {actual[i]}");
    }
}
