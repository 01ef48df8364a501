namespace CourseKit.Tests.Summary;

public class SummaryTests
{
    [Fact]
    public void Conv2d_3_to_6_with_5x5_kernels_has_456_parameters()
    {
        var summary = new Conv2d(3, 6, 5).Summary(3, 32, 32);
        Assert.Equal(456, summary.TotalParameters);                    // 5·5·3·6 weights + 6 biases
        Assert.Equal(456, summary.ConvParameters);
        Assert.Equal(new Shape(6, 28, 28), summary.Rows.Single().OutputShape);
    }

    [Fact]
    public void LeNet5_has_61706_parameters_and_the_expected_shapes()
    {
        var summary = Models.LeNet5().Summary(1, 28, 28);
        Assert.Equal(61_706, summary.TotalParameters);
        Assert.Equal(61_706, summary.TrainableParameters);
        Assert.Equal(156 + 2_416, summary.ConvParameters);
        Assert.Equal(48_120 + 10_164 + 850, summary.FullyConnectedParameters);
        Assert.Equal(
            ["(N, 6, 28, 28)", "(N, 6, 28, 28)", "(N, 6, 14, 14)", "(N, 16, 10, 10)", "(N, 16, 10, 10)", "(N, 16, 5, 5)",
             "(N, 400)", "(N, 120)", "(N, 120)", "(N, 84)", "(N, 84)", "(N, 10)"],
            summary.Rows.Select(r => r.OutputShapeText));
        Assert.Equal("0 (Conv2d)", summary.Rows[0].Layer);
        Assert.Equal(156, summary.Rows[0].Parameters);
        // conv 4704 + pool 1176 + conv 1600 + pool 400 + FC 120 + 84 + 10; ReLU and Flatten add nothing
        Assert.Equal(4_704 + 1_176 + 1_600 + 400 + 120 + 84 + 10, summary.ActivationValues);
    }

    [Fact]
    public void AlexNet_has_62369152_parameters_most_of_them_fully_connected()
    {
        var summary = Models.AlexNet().Summary(3, 227, 227);
        Assert.Equal(62_369_152, summary.TotalParameters);
        Assert.Equal(3_747_200, summary.ConvParameters);
        Assert.Equal(58_621_952, summary.FullyConnectedParameters);
        Assert.Equal("(N, 96, 55, 55)", summary.Rows[0].OutputShapeText);
        Assert.Equal("(N, 9216)", summary.Rows.Single(r => r.Type == "Flatten").OutputShapeText);
    }

    [Fact]
    public void VGG16_has_138357544_parameters_and_15_million_activations_per_image()
    {
        var summary = Models.Vgg16().Summary(3, 224, 224);
        Assert.Equal(138_357_544, summary.TotalParameters);
        Assert.Equal(14_714_688, summary.ConvParameters);
        Assert.Equal(123_642_856, summary.FullyConnectedParameters);
        Assert.Equal(0, summary.OtherParameters);

        // The lecture's table: every conv, pool and FC output once (ReLU, Dropout, Flatten are in place or views).
        long expected =
            224 * 224 * 64 * 2 + 112 * 112 * 64 +              // block 1: two convs + pool
            112 * 112 * 128 * 2 + 56 * 56 * 128 +              // block 2
            56 * 56 * 256 * 3 + 28 * 28 * 256 +                // block 3
            28 * 28 * 512 * 3 + 14 * 14 * 512 +                // block 4
            14 * 14 * 512 * 3 + 7 * 7 * 512 +                  // block 5
            4096 + 4096 + 1000;                                // fully connected
        Assert.Equal(15_087_080, expected);
        Assert.Equal(expected, summary.ActivationValues);
        Assert.Equal(expected + 3 * 224 * 224, summary.ForwardValues);     // 15,237,608 ≈ 15.2 M with the input
        Assert.Equal(61.0, summary.ForwardMegabytes, 1);                    // × 4 bytes ≈ 61 MB per image
        Assert.Equal(553.4, summary.ParameterMegabytes, 1);
    }

    [Fact]
    public void Course_models_count_their_parameters()
    {
        Assert.Equal(127_138, Models.KerasMnist().Summary(1, 28, 28).TotalParameters);
        var cifar = Models.CifarVggSmall().Summary(3, 32, 32);
        Assert.Equal(667_178, cifar.TotalParameters);
        Assert.Equal(640, cifar.OtherParameters);                           // BatchNorm's γ and β
        Assert.Equal("(N, 2048)", cifar.Rows.Single(r => r.Type == "Flatten").OutputShapeText);
    }

    [Fact]
    public void Summary_restores_modes_and_changes_no_weights()
    {
        var model = Models.CifarVggSmall();
        model.Train();
        model[1].Eval();                                                  // a mixed state must survive too
        var before = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

        model.Summary(3, 32, 32);

        Assert.True(model.Training);
        Assert.False(model[1].Training);
        Assert.True(model[4].Training);
        Assert.Null(Module.ForwardHook);
        foreach (var (name, tensor) in model.StateDict()) Assert.Equal(before[name], tensor.ToArray());
    }

    [Fact]
    public void Frozen_parameters_are_not_trainable()
    {
        var model = Models.LeNet5();
        foreach (var p in model[0].Parameters()) p.RequiresGrad = false;
        var summary = model.Summary(1, 28, 28);
        Assert.Equal(61_706 - 156, summary.TrainableParameters);
        Assert.Equal(156, summary.NonTrainableParameters);
    }

    [Fact]
    public void ToString_prints_a_keras_style_table()
    {
        string table = Models.LeNet5().Summary(1, 28, 28).ToString();
        Assert.Contains("Layer (type)", table);
        Assert.Contains("Output Shape", table);
        Assert.Contains("Param #", table);
        Assert.Matches(@"0 \(Conv2d\)\s+\(N, 6, 28, 28\)\s+156\s+4,704", table);
        Assert.Matches(@"1 \(ReLU\)\s+\(N, 6, 28, 28\)\s+0\s+in place", table);
        Assert.Contains("Total params: 61,706", table);
        Assert.Contains("Trainable params: 61,706", table);
    }

    [Fact]
    public void A_wrong_input_shape_is_reported_by_the_layer_that_cannot_take_it()
    {
        Assert.Throws<ShapeException>(() => Models.LeNet5().Summary(3, 28, 28));
        Assert.Throws<ArgumentException>(() => Models.LeNet5().Summary());
        Assert.Null(Module.ForwardHook);
    }
}
