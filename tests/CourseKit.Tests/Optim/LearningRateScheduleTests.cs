namespace CourseKit.Tests.Optim;

public class LearningRateScheduleTests
{
    private static SGD Optimizer(float lr) => new([new Parameter(Tensor.Zeros(1))], lr);

    [Fact]
    public void StepLR_halves_the_rate_every_stepSize_epochs()
    {
        var schedule = new StepLR(Optimizer(0.1f), stepSize: 10, gamma: 0.5f);
        Assert.Equal(0.1f, schedule.LearningRateAt(0), 6);
        Assert.Equal(0.1f, schedule.LearningRateAt(9), 6);
        Assert.Equal(0.05f, schedule.LearningRateAt(10), 6);
        Assert.Equal(0.025f, schedule.LearningRateAt(29), 6);
        Assert.Equal(0.0125f, schedule.LearningRateAt(30), 6);
    }

    [Fact]
    public void Step_sets_the_optimiser_rate_for_the_next_epoch_like_PyTorch()
    {
        var optimizer = Optimizer(1f);
        var schedule = new StepLR(optimizer, stepSize: 2, gamma: 0.1f);
        var seen = new List<float>();
        for (int epoch = 0; epoch < 5; epoch++)
        {
            seen.Add(optimizer.LearningRate);     // the rate used for training this epoch
            schedule.Step();
        }
        Assert.Equal(new[] { 1f, 1f, 0.1f, 0.1f, 0.01f }, seen.Select(r => MathF.Round(r, 6)));
        Assert.Equal(5, schedule.Epoch);
    }

    [Fact]
    public void ExponentialDecay_is_alpha0_times_e_to_minus_kt()
    {
        var optimizer = Optimizer(0.2f);
        var schedule = new ExponentialDecay(optimizer, k: 0.1f);
        for (int t = 0; t <= 50; t += 5)
            Assert.Equal(0.2 * Math.Exp(-0.1 * t), schedule.LearningRateAt(t), 6);
        schedule.Step();
        Assert.Equal(0.2 * Math.Exp(-0.1), optimizer.LearningRate, 6);
    }

    [Fact]
    public void TimeDecay_is_alpha0_over_1_plus_kt()
    {
        var schedule = new TimeDecay(Optimizer(0.2f), k: 0.5f);
        Assert.Equal(0.2f, schedule.LearningRateAt(0), 6);
        Assert.Equal(0.1f, schedule.LearningRateAt(2), 6);      // halved after t = 1/k
        Assert.Equal(0.05f, schedule.LearningRateAt(6), 6);     // a quarter after t = 3/k
    }

    [Fact]
    public void CosineAnnealingLR_glides_from_alpha0_to_the_minimum_along_half_a_cosine()
    {
        var schedule = new CosineAnnealingLR(Optimizer(0.1f), tMax: 20, minLearningRate: 0.001f);
        Assert.Equal(0.1f, schedule.LearningRateAt(0), 6);
        Assert.Equal(0.001 + 0.099 * (1 + Math.Cos(Math.PI / 4)) / 2, schedule.LearningRateAt(5), 6);
        Assert.Equal(0.0505f, schedule.LearningRateAt(10), 6);                 // half way: the mean of the two
        Assert.Equal(0.001f, schedule.LearningRateAt(20), 6);
        Assert.Equal(0.001f, schedule.LearningRateAt(25), 6);                  // stays at the minimum after T
    }

    [Fact]
    public void OneCycleLR_climbs_to_the_peak_then_glides_to_a_tiny_rate_like_PyTorch()
    {
        var optimizer = Optimizer(0.5f);
        var schedule = new OneCycleLR(optimizer, maxLearningRate: 0.1f, epochs: 12, warmupFraction: 0.3f);
        Assert.Equal(3, schedule.WarmupEpochs);                                 // round(0.3 · 11)
        Assert.Equal(0.004f, optimizer.LearningRate, 6);                        // set at once to max / 25
        Assert.Equal(0.004 + 0.096 * (1 - Math.Cos(Math.PI / 3)) / 2, schedule.LearningRateAt(1), 6);
        Assert.Equal(0.1f, schedule.LearningRateAt(3), 6);                      // the peak, after the warm-up
        Assert.Equal(0.1f * 0.5f + 0.004e-4f * 0.5f, schedule.LearningRateAt(7), 6);   // half way down (epochs 3 → 11)
        Assert.Equal(0.004e-4f, schedule.LearningRateAt(11), 9);               // the last epoch: max / 25 / 10⁴
        for (int epoch = 3; epoch < 11; epoch++) Assert.True(schedule.LearningRateAt(epoch + 1) < schedule.LearningRateAt(epoch));
        schedule.Step();
        Assert.Equal(schedule.LearningRateAt(1), optimizer.LearningRate);
    }

    [Fact]
    public void Invalid_schedules_fail_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLR(Optimizer(0.1f), maxLearningRate: 0.1f, epochs: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLR(Optimizer(0.1f), maxLearningRate: 0.1f, epochs: 10, warmupFraction: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(Optimizer(0.1f), tMax: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(Optimizer(0.1f), stepSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(Optimizer(0.1f), k: -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeDecay(Optimizer(0.1f), k: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeDecay(Optimizer(0.1f), k: 1f).LearningRateAt(-1));
    }
}
