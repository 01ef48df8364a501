using System.Diagnostics;

namespace CourseKit.Bench;

/// <summary>
/// Timed windows exactly as the PyTorch peer measures them (shared/reference/pytorch_bench.py):
/// warm up, calibrate the step count for a window, then time several windows and record how many
/// cores other processes used meanwhile, so that noisy windows can be recognised and refused.
/// </summary>
internal static class Windows
{
    /// <summary>A window is clean when other processes used fewer cores than this on average.</summary>
    public const double CleanLimit = 0.15;

    public sealed record Result(double[] Rates, double[] OthersCores, int StepsPerWindow)
    {
        public double Median => MedianOf(Rates);
        public double[] CleanRates => Rates.Where((_, i) => OthersCores[i] < CleanLimit).ToArray();
        public double? CleanMedian => CleanRates.Length > 0 ? MedianOf(CleanRates) : null;
        /// <summary>The figure to report: the median of clean windows, or of all when none was clean (flagged).</summary>
        public double Best => CleanMedian ?? Median;
        public bool Noisy => CleanRates.Length == 0;
    }

    public static Result Run(Action step, double unitsPerStep, double warmupSeconds, double windowSeconds, int windows, int minSteps = 3)
    {
        var sw = Stopwatch.StartNew();
        int n = 0;
        while (n < minSteps || sw.Elapsed.TotalSeconds < warmupSeconds) { step(); n++; }
        var cal = Stopwatch.StartNew();
        step(); step();
        double per = cal.Elapsed.TotalSeconds / 2;
        int steps = Math.Max(minSteps, (int)Math.Ceiling(windowSeconds / Math.Max(per, 1e-9)));
        var rates = new double[windows];
        var others = new double[windows];
        for (int w = 0; w < windows; w++)
        {
            var a = CpuSnapshot.Take();
            for (int s = 0; s < steps; s++) step();
            var b = CpuSnapshot.Take();
            rates[w] = unitsPerStep * steps / (b.Wall - a.Wall);
            others[w] = CpuSnapshot.OtherCores(a, b);
        }
        return new Result(rates, others, steps);
    }

    public static double MedianOf(double[] values)
    {
        var s = values.OrderBy(v => v).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}

/// <summary>Wall time, machine-wide busy CPU seconds (/proc/stat) and this process's CPU seconds.</summary>
internal readonly record struct CpuSnapshot(double Wall, double MachineBusy, double Own)
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static CpuSnapshot Take()
    {
        double busy = double.NaN;
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
            busy = (fields.Sum() - fields[3] - fields[4]) / 100.0;   // minus idle and iowait; USER_HZ = 100
        }
        catch (IOException) { }
        var p = Process.GetCurrentProcess();
        return new CpuSnapshot(Clock.Elapsed.TotalSeconds, busy, p.TotalProcessorTime.TotalSeconds);
    }

    /// <summary>Average number of cores used by other processes between two snapshots.</summary>
    public static double OtherCores(CpuSnapshot a, CpuSnapshot b) =>
        Math.Max(0, ((b.MachineBusy - a.MachineBusy) - (b.Own - a.Own)) / (b.Wall - a.Wall));
}
