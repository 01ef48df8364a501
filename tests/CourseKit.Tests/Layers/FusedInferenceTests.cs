namespace CourseKit.Tests.Layers;

/// <summary>Evaluation folds Conv2d → BatchNorm2d → ReLU into one convolution; it must compute the same function.</summary>
public class FusedInferenceTests
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
}
