namespace CourseKit.Tests.Layers;

public class LayerCompositionTests
{
    [Fact]
    public void Sequential_names_the_parameters_of_its_layers_by_position()
    {
        var model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2, model.ParameterCount);
        Assert.Equal(new Shape(5, 2), model.Call(Tensor.Randn(5, 4)).Shape);
    }

    [Fact]
    public void Sequential_with_BatchNorm_has_PyTorch_state_dict_keys()
    {
        var model = new Sequential(new Linear(4, 3), new BatchNorm1d(3));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"],
            model.StateDict().Keys);
    }

    [Fact]
    public void Train_and_Eval_reach_every_layer()
    {
        var dropout = new Dropout(0.5f);
        var norm = new BatchNorm1d(3);
        var model = new Sequential(new Linear(4, 3), norm, dropout);
        model.Eval();
        Assert.False(dropout.Training);
        Assert.False(norm.Training);
        var x = Tensor.Randn(6, 4);
        Assert.Equal(model.Call(x).ToArray(), model.Call(x).ToArray());    // no randomness, no statistics updates
        model.Train();
        Assert.True(dropout.Training);
        Assert.True(norm.Training);
    }

    [Fact]
    public void A_small_classifier_trains_end_to_end()
    {
        Rng.ManualSeed(30);
        var model = new Sequential(new Linear(2, 8), new BatchNorm1d(8), new PReLU(8), new Dropout(0.1f), new Linear(8, 2));
        var x = Tensor.Randn(16, 2);
        var labels = Tensor.FromArray(x.ToArray().Chunk(2).Select(p => p[0] + p[1] > 0 ? 1f : 0f).ToArray(), 16);
        var criterion = new CrossEntropyLoss();
        float first = 0, last = 0;
        for (int step = 0; step < 30; step++)
        {
            model.ZeroGrad();
            var loss = criterion.Call(model.Call(x), labels);
            loss.Backward();
            using (Tensor.NoGrad())
                foreach (var p in model.Parameters()) p.AddInPlace(p.Grad!, -0.5f);
            if (step == 0) first = loss.Item();
            last = loss.Item();
        }
        Assert.True(last < first / 2, $"the loss went from {first} to {last}");
    }

    [Fact]
    public void LeNet5_as_a_Sequential_has_61706_parameters_and_maps_digits_to_10_scores()
    {
        var leNet = new Sequential(
            new Conv2d(1, 6, kernelSize: 5, padding: 2), new ReLU(), new MaxPool2d(2),   // 1×28×28 → 6×28×28 → 6×14×14
            new Conv2d(6, 16, kernelSize: 5), new ReLU(), new MaxPool2d(2),              // → 16×10×10 → 16×5×5
            new Flatten(),                                                               // → 400
            new Linear(400, 120), new ReLU(),
            new Linear(120, 84), new ReLU(),
            new Linear(84, 10));
        Assert.Equal(61_706, leNet.ParameterCount);
        Assert.Equal(new Shape(2, 10), leNet.Call(Tensor.Randn(2, 1, 28, 28)).Shape);
    }
}
