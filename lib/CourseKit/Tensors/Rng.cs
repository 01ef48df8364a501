namespace CourseKit;

/// <summary>
/// The library's random number generator (like <c>torch.manual_seed</c>): weight initialisation,
/// dropout masks and random tensors draw from it, so one <see cref="ManualSeed"/> makes a whole
/// run repeatable. Each thread has its own generator, seeded from the global seed.
/// </summary>
public static class Rng
{
    private static int _seed = 0;
    private static int _generation;
    [ThreadStatic] private static Random? _random;
    [ThreadStatic] private static int _threadGeneration;

    /// <summary>Re-seeds the generator: everything random after this call repeats exactly for the same seed.</summary>
    public static void ManualSeed(int seed)
    {
        _seed = seed;
        Interlocked.Increment(ref _generation);
    }

    /// <summary>The current thread's generator.</summary>
    public static Random Current
    {
        get
        {
            if (_random is null || _threadGeneration != _generation)
            {
                _random = new Random(_seed);
                _threadGeneration = _generation;
            }
            return _random;
        }
    }

    /// <summary>A uniform sample from [low, high).</summary>
    public static float Uniform(float low = 0f, float high = 1f) => low + (high - low) * (float)Current.NextDouble();

    /// <summary>A sample from the normal distribution N(mean, std²) (Box–Muller).</summary>
    public static float Normal(float mean = 0f, float std = 1f)
    {
        var r = Current;
        double u1 = 1.0 - r.NextDouble(), u2 = r.NextDouble();
        return mean + std * (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
