namespace CourseKit.Tests.Optim;

public class OptimizerTests
{
    private static Parameter Weights(params float[] values) => new(Tensor.Of(values));

    /// <summary>Sets the gradient by hand, as Backward() would.</summary>
    private static void SetGrad(Parameter p, params float[] grad) => p.Grad = Tensor.Of(grad);

    private static void AssertValues(float[] expected, Tensor actual, float tolerance = 1e-6f)
    {
        var a = actual.ToArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(expected[i] - a[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {a[i]}");
    }

    [Fact]
    public void SGD_minimises_x_minus_3_squared()
    {
        var x = Weights(0f);
        var optimizer = new SGD([x], lr: 0.1f);
        for (int step = 0; step < 100; step++)
        {
            optimizer.ZeroGrad();
            var loss = (x - 3f).Square().Sum();      // L = (x − 3)², dL/dx = 2(x − 3)
            loss.Backward();
            optimizer.Step();                        // x ← x − 0.1·2(x − 3): the distance to 3 shrinks by 0.8 per step
        }
        Assert.Equal(3f, x.Item(), 4);
    }

    [Fact]
    public void Adam_minimises_x_minus_3_squared()
    {
        var x = Weights(0f);
        var optimizer = new Adam([x], lr: 0.1f);
        for (int step = 0; step < 300; step++)
        {
            optimizer.ZeroGrad();
            (x - 3f).Square().Sum().Backward();
            optimizer.Step();
        }
        Assert.Equal(3f, x.Item(), 2);
    }

    [Fact]
    public void SGD_plain_step_is_w_minus_lr_times_grad()
    {
        var w = Weights(1f, -2f);
        SetGrad(w, 0.5f, 0.25f);
        new SGD([w], lr: 0.1f).Step();
        AssertValues([0.95f, -2.025f], w);
    }

    [Fact]
    public void SGD_momentum_with_weight_decay_matches_two_steps_by_hand()
    {
        // w = [1, −2], ∇w = [0.5, 0.25] on both steps, α = 0.1, μ = 0.9, λ = 0.1.
        var w = Weights(1f, -2f);
        var optimizer = new SGD([w], lr: 0.1f, momentum: 0.9f, weightDecay: 0.1f);

        SetGrad(w, 0.5f, 0.25f);
        optimizer.Step();
        // g = ∇w + λw = [0.6, 0.05];  b = g (first step);  w = w − αb = [0.94, −2.005]
        AssertValues([0.94f, -2.005f], w);

        SetGrad(w, 0.5f, 0.25f);
        optimizer.Step();
        // g = [0.5 + 0.094, 0.25 − 0.2005] = [0.594, 0.0495];  b = 0.9·[0.6, 0.05] + g = [1.134, 0.0945]
        // w = [0.94 − 0.1134, −2.005 − 0.00945] = [0.8266, −2.01445]
        AssertValues([0.8266f, -2.01445f], w);
    }

    [Fact]
    public void SGD_nesterov_steps_along_gradient_plus_momentum()
    {
        var w = Weights(1f, -2f);
        SetGrad(w, 0.5f, 0.25f);
        new SGD([w], lr: 0.1f, momentum: 0.9f, weightDecay: 0.1f, nesterov: true).Step();
        // g = [0.6, 0.05];  b = g;  g + μb = [1.14, 0.095];  w = [1 − 0.114, −2 − 0.0095]
        AssertValues([0.886f, -2.0095f], w);
    }

    [Fact]
    public void SGD_first_step_fills_the_momentum_buffer_without_dampening()
    {
        var w = Weights(0f);
        var optimizer = new SGD([w], lr: 1f, momentum: 0.9f, dampening: 0.5f);
        SetGrad(w, 1f);
        optimizer.Step();                 // b = g = 1 (PyTorch does not damp the first gradient)
        AssertValues([-1f], w);
        SetGrad(w, 1f);
        optimizer.Step();                 // b = 0.9·1 + (1 − 0.5)·1 = 1.4
        AssertValues([-2.4f], w);
    }

    [Fact]
    public void Adam_first_step_moves_each_weight_by_about_lr_times_sign_of_grad()
    {
        var w = Weights(1f, 1f, 1f, 1f);
        SetGrad(w, 2f, -0.5f, 1e-3f, 0f);
        new Adam([w], lr: 0.01f).Step();
        // m̂ = g and v̂ = g² after bias correction, so the step is α·g / (|g| + ε) ≈ α·sign(g)
        AssertValues([0.99f, 1.01f, 0.99f + 0.01f * 1e-8f / (1e-3f + 1e-8f), 1f], w);
    }

    [Fact]
    public void Adam_second_step_with_reversed_gradient_uses_bias_corrected_mean()
    {
        var w = Weights(0f);
        var optimizer = new Adam([w], lr: 0.01f);
        SetGrad(w, 1f);
        optimizer.Step();                                   // w = −0.01
        SetGrad(w, -1f);
        optimizer.Step();
        // m = 0.9·0.1 − 0.1 = −0.01, m̂ = −0.01 / (1 − 0.9²) = −1/19;  v = 0.999·0.001 + 0.001 = 0.001999, v̂ = 1
        AssertValues([-0.01f + 0.01f / 19f], w);
    }

    [Fact]
    public void Adam_weight_decay_adds_lambda_w_to_the_gradient()
    {
        var w = Weights(1f);
        SetGrad(w, 0f);
        new Adam([w], lr: 0.01f, weightDecay: 0.1f).Step();   // g = 0 + 0.1·1 > 0, so the first step is ≈ −α
        AssertValues([0.99f], w);
    }

    [Fact]
    public void Parameters_without_a_gradient_are_skipped()
    {
        var a = Weights(1f);
        var b = Weights(1f);
        var optimizer = new Adam([a, b], lr: 0.1f);
        SetGrad(a, 1f);
        optimizer.Step();
        AssertValues([1f], b);
        SetGrad(b, 1f);
        optimizer.Step();                                    // b's first step: again ≈ −α, its step count starts now
        AssertValues([0.9f], b);
    }

    [Fact]
    public void ZeroGrad_sets_gradients_to_null()
    {
        var w = Weights(1f, 2f);
        SetGrad(w, 1f, 1f);
        var optimizer = new SGD([w], lr: 0.1f);
        optimizer.ZeroGrad();
        Assert.Null(w.Grad);
    }

    [Fact]
    public void Step_updates_in_place_without_allocating_per_weight()
    {
        var w = new Parameter(Tensor.Randn(100_000));
        var optimizers = new Optimizer[]
        {
            new SGD([w], lr: 0.01f, momentum: 0.9f, weightDecay: 1e-4f, nesterov: true),
            new Adam([w], weightDecay: 1e-4f),
        };
        w.Grad = Tensor.Randn(100_000);
        var storage = w.Storage;
        foreach (var optimizer in optimizers)
        {
            optimizer.Step();                                // the first step creates the state
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) optimizer.Step();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 10_000, $"{optimizer.GetType().Name}: 10 steps allocated {allocated} bytes (the weights alone are 400,000).");
        }
        Assert.Same(storage, w.Storage);
    }

    [Fact]
    public void Invalid_hyper_parameters_fail_at_construction()
    {
        var w = Weights(1f);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SGD([w], lr: -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SGD([w], lr: 0.1f, momentum: -0.9f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SGD([w], lr: 0.1f, weightDecay: -1f));
        Assert.Contains("Nesterov", Assert.Throws<ArgumentException>(() => new SGD([w], lr: 0.1f, nesterov: true)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([w], beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([w], lr: float.NaN));
        Assert.Contains("empty parameter list", Assert.Throws<ArgumentException>(() => new Adam([])).Message);
    }

    [Fact]
    public void A_gradient_of_the_wrong_shape_is_reported()
    {
        var w = Weights(1f, 2f);
        w.Grad = Tensor.Of(1f, 2f, 3f);
        var e = Assert.Throws<ShapeException>(() => new SGD([w], lr: 0.1f).Step());
        Assert.Contains("(2)", e.Message);
        Assert.Contains("(3)", e.Message);
    }
}
