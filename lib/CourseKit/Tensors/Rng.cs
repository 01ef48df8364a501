namespace CourseKit;

/// <summary>
/// The library's random number generator (like <c>torch.manual_seed</c>): weight initialisation,
/// dropout masks, shuffling and random tensors all draw from this one process-wide stream, so one
/// <see cref="ManualSeed"/> makes a whole run repeatable (for the same thread count).
/// The stream is xoshiro256** (Blackman and Vigna), seeded through SplitMix64: fast, and the same
/// numbers on every platform and .NET version.
/// </summary>
public static class Rng
{
    private static readonly object Gate = new();
    private static ulong _s0, _s1, _s2, _s3;

    static Rng() => ManualSeed(0);

    /// <summary>Re-seeds the generator: everything random after this call repeats exactly for the same seed.</summary>
    public static void ManualSeed(int seed)
    {
        ulong x = (ulong)(uint)seed;
        lock (Gate)
        {
            _s0 = SplitMix64(ref x); _s1 = SplitMix64(ref x); _s2 = SplitMix64(ref x); _s3 = SplitMix64(ref x);
        }
    }

    /// <summary>A uniform sample from [low, high).</summary>
    public static float Uniform(float low = 0f, float high = 1f)
    {
        lock (Gate) return low + (high - low) * NextFloat();
    }

    /// <summary>A sample from the normal distribution N(mean, std²) (Box–Muller).</summary>
    public static float Normal(float mean = 0f, float std = 1f)
    {
        double u1, u2;
        lock (Gate) { u1 = 1.0 - NextDouble(); u2 = NextDouble(); }
        return mean + std * (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    /// <summary>A uniform integer from [low, high).</summary>
    public static int Next(int low, int high)
    {
        if (high <= low) throw new ArgumentOutOfRangeException(nameof(high), $"Rng.Next: high ({high}) must be greater than low ({low}).");
        lock (Gate) return low + (int)(NextDouble() * ((long)high - low));
    }

    /// <summary>Fills <paramref name="destination"/> with uniform samples from [low, high) in one locked pass (initialisers, dropout masks).</summary>
    public static void FillUniform(Span<float> destination, float low = 0f, float high = 1f)
    {
        lock (Gate)
            for (int i = 0; i < destination.Length; i++) destination[i] = low + (high - low) * NextFloat();
    }

    /// <summary>32 random bits, e.g. the seed of a dropout mask.</summary>
    internal static uint NextUInt32()
    {
        lock (Gate) return (uint)(NextUInt64() >> 32);
    }

    /// <summary>A seed for a generator of one's own (e.g. a data loader's shuffle), drawn from this stream.</summary>
    public static int NextSeed()
    {
        lock (Gate) return (int)(NextUInt64() >> 33);
    }

    private static float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));          // 24 random bits → [0, 1)
    private static double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));    // 53 random bits → [0, 1)

    private static ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
