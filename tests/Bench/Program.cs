using CourseKit.Bench;
using CourseKit.Kernels;

// Temporary driver: Gemm throughput table. (To be extended with the PyTorch comparison and training benchmarks.)
// Usage: CourseKit.Bench [sizes, default 256,512,1024,2048] [window seconds, default 0.5]
int[] sizes = args.Length > 0 ? args[0].Split(',').Select(int.Parse).ToArray() : [256, 512, 1024, 2048];
double window = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0.5;

Console.WriteLine($"sgemm, square n×n×n, {Gemm.BestKernel} kernel, median of {GemmBench.Windows} windows of {window} s");
Console.WriteLine($"{"n",6} {"threads",8} {"GFLOP/s",9}");
foreach (int threads in new[] { 1, 2 })
    foreach (var (n, t, gflops) in GemmBench.Run(sizes, threads, window))
        Console.WriteLine($"{n,6} {t,8} {gflops,9:F1}");
