using System.Globalization;
using System.Text.Json;
using CourseKit.Bench;

// CourseKit vs PyTorch on this machine, measured in the same run: for every figure the PyTorch
// peer runs first (its own process, nothing else running), then CourseKit, with the same sizes,
// models, batches, thread counts and window lengths. Windows in which other processes used the
// CPU are flagged and left out of the reported median where clean ones exist.
//
//   dotnet run -c Release --project tests/Bench -- [--sections gemm,conv,train,infer,acc,profile,notebook,kernel]
//       [--models keras-mnist,lenet5,cifar-vgg-small] [--batches 64,128] [--sizes 256,512,1024,2048]
//       [--threads 2] [--windows 5] [--window-sec 1.5] [--warmup-sec 1.5] [--rounds 1] [--no-peer]
//       [--peer-openblas-coretype NAME]

var options = Options.Parse(args);
CourseKit.Kernels.Gemm.MaxThreads = options.Threads;
string? peerProblem = options.NoPeer ? "--no-peer was given" : PyTorchPeer.Unavailable();
if (peerProblem is not null) Console.WriteLine($"PyTorch peer not run: {peerProblem}. Ratios are omitted.");
Console.WriteLine($"CourseKit bench {DateTime.Now:yyyy-MM-dd HH:mm}, {Environment.ProcessorCount} cores, {options.Threads} threads, " +
                  $"{options.Windows} windows of {options.WindowSeconds} s (median of clean windows; '*' = no clean window)");
var table = new List<(string What, string Unit, Windows.Result Ours, double? Peer, bool PeerNoisy, double? Ratio)>();

if (options.Sections.Contains("gemm"))
{
    var peer = peerProblem is null
        ? PyTorchPeer.Run($"--sections sgemm --sgemm-sizes {string.Join(',', options.Sizes)} {options.PeerTiming}", options.PeerEnvironment)
        : [];
    foreach (int threads in new[] { 1, options.Threads }.Distinct())
        foreach (int n in options.Sizes)
        {
            var ours = GemmBench.Run(n, threads, options.WarmupSeconds, options.WindowSeconds / 2, options.Windows);
            var p = peer.FirstOrDefault(e => e.GetProperty("n").GetInt32() == n && e.GetProperty("threads").GetInt32() == threads);
            table.Add(($"sgemm n={n}, {threads} thread{(threads > 1 ? "s" : "")}", "GFLOP/s", ours, Figure(p, "gflops"), Noisy(p), null));
            Print(table[^1]);
        }
}

if (options.Sections.Contains("conv"))
{
    var peer = peerProblem is null
        ? PyTorchPeer.RunScript(PyTorchPeer.ConvLayersScript, $"--reference \"{PyTorchPeer.Script()}\" --layers {ConvBench.CifarLayers} --batch 64 --threads {options.Threads} {options.PeerTiming}", options.PeerEnvironment)
        : [];
    foreach (var (layer, pass, ours) in ConvBench.Run(ConvBench.CifarLayers, 64, options.WarmupSeconds, options.WindowSeconds, options.Windows))
    {
        var p = peer.FirstOrDefault(e => e.GetProperty("layer").GetString() == layer && e.GetProperty("pass").GetString() == pass);
        table.Add(($"conv {layer} b64 {pass}", "GFLOP/s", ours, Figure(p, "gflops"), Noisy(p), null));
        Print(table[^1]);
    }
}

foreach (var model in options.Models)
{
    if (options.Sections.Contains("train"))
        foreach (int batch in options.Batches)
        {
            var (ours, peer, noisy, ratio) = InRounds(
                () => PyTorchPeer.Run($"--sections train --models {model} --batches {batch} --threads {options.Threads} {options.PeerTiming}", options.PeerEnvironment).FirstOrDefault(),
                () => TrainBench.Train(model, batch, options.WarmupSeconds, options.WindowSeconds, options.Windows));
            table.Add(($"train {model}, batch {batch}", "images/s", ours, peer, noisy, ratio));
            Print(table[^1]);
        }
    if (options.Sections.Contains("infer"))
    {
        var (ours, peer, noisy, ratio) = InRounds(
            () => PyTorchPeer.Run($"--sections infer --models {model} --infer-batch {options.InferBatch} --threads {options.Threads} {options.PeerTiming}", options.PeerEnvironment).FirstOrDefault(),
            () => TrainBench.Infer(model, options.InferBatch, options.WarmupSeconds, options.WindowSeconds, options.Windows));
        table.Add(($"infer {model}, batch {options.InferBatch}", "images/s", ours, peer, noisy, ratio));
        Print(table[^1]);
    }
}

if (options.Sections.Contains("profile"))
    foreach (var model in options.Models)
        foreach (int batch in options.Batches)
            ProfileBench.Run(model, batch);

if (options.Sections.Contains("notebook"))
    NotebookBench.Run(repeats: 5);

if (options.Sections.Contains("kernel"))
    KernelBench.Run();

if (options.Sections.Contains("acc"))
{
    var mnist = CourseKit.DataDirectory.SearchOrder().Select(r => Path.Combine(r.Path, "mnist")).First(Directory.Exists);
    foreach (var (model, epochs) in new[] { ("keras-mnist", 3), ("lenet5", 1) }.Where(m => options.Models.Contains(m.Item1)))
    {
        var peer = peerProblem is null
            ? PyTorchPeer.Run($"--sections acc --models {model} --keras-epochs 3 --lenet-epochs 1 --threads {options.Threads} --mnist \"{PyTorchPeer.UncompressedMnist(mnist)}\"", options.PeerEnvironment)
            : [];
        foreach (var (epoch, accuracy, seconds) in AccuracyBench.Run(model, epochs))
        {
            var p = peer.FirstOrDefault(e => e.GetProperty("epoch").GetInt32() == epoch);
            double? peerAccuracy = p.ValueKind == JsonValueKind.Object ? p.GetProperty("test_acc").GetDouble() * 100 : null;
            Console.WriteLine($"test accuracy {model} after epoch {epoch}: CourseKit {accuracy:P2} ({seconds:0.0} s), PyTorch {(peerAccuracy is double a ? a.ToString("0.00") + " %" : "—")}" +
                              (p.ValueKind == JsonValueKind.Object ? $" ({p.GetProperty("epoch_train_s").GetDouble():0.0} s)" : ""));
        }
    }
}

Console.WriteLine();
Console.WriteLine($"{"figure",-36} {"unit",-9} {"CourseKit",11} {"PyTorch",11} {"ratio",7}");
foreach (var row in table) Print(row);

// Each (PyTorch, CourseKit) pair measured --rounds times in turn. The figures are the medians over the rounds and the
// ratio is the median of the rounds' own ratios, so a stretch in which the machine runs slower (other virtual machines
// on the host: it shows in no process list) weighs on both sides alike.
(Windows.Result Ours, double? Peer, bool PeerNoisy, double? Ratio) InRounds(Func<JsonElement> peer, Func<Windows.Result> ours)
{
    var rounds = new List<(Windows.Result Ours, double? Peer, bool Noisy)>();
    for (int r = 0; r < options.Rounds; r++)
    {
        var p = peerProblem is null ? peer() : default;
        rounds.Add((ours(), Figure(p, "img_per_s"), Noisy(p)));
        if (options.Rounds > 1)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {r + 1}: {rounds[^1].Ours.Best:N1} vs {rounds[^1].Peer:N1}"));
    }
    static double? Median(IEnumerable<double> values) { var v = values.Order().ToList(); return v.Count == 0 ? null : v[v.Count / 2]; }
    var middle = rounds.OrderBy(r => r.Ours.Best).ElementAt(rounds.Count / 2).Ours;
    return (middle, Median(rounds.Where(r => r.Peer is not null).Select(r => r.Peer!.Value)), rounds.Any(r => r.Noisy),
        Median(rounds.Where(r => r.Peer is > 0).Select(r => r.Ours.Best / r.Peer!.Value)));
}

static void Print((string What, string Unit, Windows.Result Ours, double? Peer, bool PeerNoisy, double? Ratio) row)
{
    string ours = row.Ours.Best.ToString("N1", CultureInfo.InvariantCulture) + (row.Ours.Noisy ? "*" : " ");
    string peer = row.Peer is double p ? p.ToString("N1", CultureInfo.InvariantCulture) + (row.PeerNoisy ? "*" : " ") : "—";
    double? r = row.Ratio ?? (row.Peer is double q && q > 0 ? row.Ours.Best / q : null);
    string ratio = r is double value ? value.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "";
    Console.WriteLine($"{row.What,-36} {row.Unit,-9} {ours,11} {peer,11} {ratio,7}");
}

// The peer's clean median when it had clean windows, else its median.
static double? Figure(JsonElement e, string key) =>
    e.ValueKind != JsonValueKind.Object ? null
    : e.TryGetProperty(key + "_clean", out var clean) && clean.ValueKind == JsonValueKind.Number ? clean.GetDouble()
    : e.GetProperty(key).GetDouble();

static bool Noisy(JsonElement e) =>
    e.ValueKind == JsonValueKind.Object && e.TryGetProperty("clean_windows", out var c) && c.GetInt32() == 0;

internal sealed record Options(HashSet<string> Sections, string[] Models, int[] Batches, int[] Sizes, int Threads,
    int Windows, double WindowSeconds, double WarmupSeconds, int InferBatch, bool NoPeer, string? PeerCoreType, int Rounds)
{
    public string PeerTiming => string.Create(CultureInfo.InvariantCulture,
        $"--windows {Windows} --window-sec {WindowSeconds} --warmup-sec {WarmupSeconds}");

    public Dictionary<string, string> PeerEnvironment =>
        PeerCoreType is null ? [] : new() { ["OPENBLAS_CORETYPE"] = PeerCoreType };

    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        var flags = new HashSet<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--")) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--")) values[args[i][2..]] = args[++i];
            else flags.Add(args[i][2..]);
        }
        string Get(string key, string fallback) => values.GetValueOrDefault(key, fallback);
        int[] Ints(string key, string fallback) => Get(key, fallback).Split(',').Select(int.Parse).ToArray();
        double Number(string key, string fallback) => double.Parse(Get(key, fallback), CultureInfo.InvariantCulture);
        return new Options(
            Get("sections", "gemm,train,infer").Split(',').ToHashSet(),
            Get("models", "keras-mnist,lenet5,cifar-vgg-small").Split(','),
            Ints("batches", "64,128"), Ints("sizes", "256,512,1024,2048"), int.Parse(Get("threads", "2")),
            int.Parse(Get("windows", "5")), Number("window-sec", "1.5"), Number("warmup-sec", "1.5"),
            int.Parse(Get("infer-batch", "1000")), flags.Contains("no-peer"), values.GetValueOrDefault("peer-openblas-coretype"),
            Math.Max(1, int.Parse(Get("rounds", "1"))));
    }
}
