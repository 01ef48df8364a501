namespace CourseKit.Tests.Convolution;

/// <summary>The ResNet basic block: identity and projection shortcuts.</summary>
public class ResidualBlockTests
{
    [Fact]
    public void The_identity_block_keeps_the_shape_and_has_no_projection()
    {
        var block = new ResidualBlock(4, 4);

        Assert.Null(block.Downsample);
        Assert.Equal(new Shape(2, 4, 6, 6), block.Forward(Tensor.Randn(2, 4, 6, 6)).Shape);
        Assert.Equal(
            ["conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias"],
            block.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void A_strided_block_projects_the_shortcut_with_a_1x1_convolution()
    {
        var block = new ResidualBlock(3, 8, stride: 2);

        Assert.NotNull(block.Downsample);
        Assert.Equal(new Shape(2, 8, 4, 4), block.Forward(Tensor.Randn(2, 3, 7, 7)).Shape);
        Assert.Contains("downsample.0.weight", block.NamedParameters().Select(p => p.Name));
        Assert.Contains("downsample.1.running_mean", block.NamedBuffers().Select(b => b.Name));
        Assert.Equal(3 * 8 + 8 + 8, block.Downsample!.ParameterCount);        // 1×1 conv without bias + BN γ, β
    }

    [Fact]
    public void The_block_output_is_relu_of_residual_plus_input()
    {
        var block = new ResidualBlock(2, 2);
        using (Tensor.NoGrad())
        {
            block.Conv2.Weight.Fill(0);                                        // residual branch F(x) = BN(0) = β = 0
        }
        var x = ConvTestData.Randn(new Random(1), 2, 2, 4, 4);

        ConvTestData.AssertClose(x.Relu(), block.Forward(x));
    }

    [Fact]
    public void Identity_block_gradient_matches_finite_differences_in_training_mode()
    {
        var random = new Random(21);
        var block = new ResidualBlock(3, 3);
        ConvTestData.Reinitialise(block.Conv1, random, 0.3f);
        ConvTestData.Reinitialise(block.Conv2, random, 0.3f);

        GradCheck.Assert(x => block.Call(x), ConvTestData.Randn(random, 2, 3, 5, 5));
    }

    [Fact]
    public void Projection_block_gradient_matches_finite_differences_in_training_mode()
    {
        var random = new Random(22);
        var block = new ResidualBlock(2, 4, stride: 2);
        ConvTestData.Reinitialise(block.Conv1, random, 0.3f);
        ConvTestData.Reinitialise(block.Conv2, random, 0.3f);
        ConvTestData.Reinitialise(block.Downsample!, random, 0.3f);          // also randomises the projection's BN γ, β

        GradCheck.Assert(x => block.Call(x), ConvTestData.Randn(random, 2, 2, 6, 5));
    }
}
