namespace CourseKit;

/// <summary>
/// The library's random number generator (like <c>torch.manual_seed</c>): weight initialisation,
/// dropout masks, shuffling and random tensors all draw from this one process-wide stream, so one
/// <see cref="ManualSeed"/> makes a whole run repeatable (for the same thread count).
/// </summary>
public static class Rng
{
    private static readonly object Gate = new();
    private static Random _random = new(0);

    /// <summary>Re-seeds the generator: everything random after this call repeats exactly for the same seed.</summary>
    public static void ManualSeed(int seed)
    {
        lock (Gate) _random = new Random(seed);
    }

    /// <summary>A uniform sample from [low, high).</summary>
    public static float Uniform(float low = 0f, float high = 1f)
    {
        lock (Gate) return low + (high - low) * (float)_random.NextDouble();
    }

    /// <summary>A sample from the normal distribution N(mean, std²) (Box–Muller).</summary>
    public static float Normal(float mean = 0f, float std = 1f)
    {
        double u1, u2;
        lock (Gate) { u1 = 1.0 - _random.NextDouble(); u2 = _random.NextDouble(); }
        return mean + std * (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    /// <summary>A uniform integer from [low, high).</summary>
    public static int Next(int low, int high)
    {
        lock (Gate) return _random.Next(low, high);
    }

    /// <summary>Fills <paramref name="destination"/> with uniform samples from [0, 1) in one locked pass (dropout masks, shuffles).</summary>
    public static void FillUniform(Span<float> destination)
    {
        lock (Gate)
            for (int i = 0; i < destination.Length; i++) destination[i] = (float)_random.NextDouble();
    }
}
