using System.Diagnostics;
using System.Text.Json;

namespace CourseKit.Bench;

/// <summary>
/// Runs the PyTorch reference (shared/reference/pytorch_bench.py) with Debian's python3-torch and
/// OpenBLAS, in its fastest configuration (tuned glibc malloc), and returns its JSON figures.
/// </summary>
internal static class PyTorchPeer
{
    public const string Python = "/usr/bin/python3";

    public static string? Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", "pytorch_bench.py");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Why the peer cannot run here, or null when it can.</summary>
    public static string? Unavailable()
    {
        if (Script() is null) return "shared/reference/pytorch_bench.py was not found above the bench's folder";
        if (!File.Exists(Python)) return $"{Python} is missing";
        var check = Process.Start(new ProcessStartInfo(Python, "-c \"import torch\"") { RedirectStandardError = true })!;
        check.WaitForExit();
        return check.ExitCode == 0 ? null : "python3-torch is not installed (apt-get install -y python3-torch python3-numpy libopenblas0-openmp)";
    }

    /// <summary>The peer reads uncompressed IDX files: unpacks the kit's MNIST .gz files once into a temporary folder.</summary>
    public static string UncompressedMnist(string gzFolder)
    {
        var target = Path.Combine(Path.GetTempPath(), "coursekit-bench-mnist");
        Directory.CreateDirectory(target);
        foreach (var gz in Directory.GetFiles(gzFolder, "*.gz"))
        {
            var destination = Path.Combine(target, Path.GetFileNameWithoutExtension(gz));
            if (File.Exists(destination)) continue;
            using var input = new System.IO.Compression.GZipStream(File.OpenRead(gz), System.IO.Compression.CompressionMode.Decompress);
            using var output = File.Create(destination + ".partial");
            input.CopyTo(output);
            output.Close();
            File.Move(destination + ".partial", destination);
        }
        return target;
    }

    /// <summary>Runs the peer with the given arguments and returns one JSON element per figure.</summary>
    public static List<JsonElement> Run(string arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        RunScript(Script()!, arguments, environment);

    /// <summary>The bench's own peer script for the one-layer convolution table (beside the bench's sources, copied to its output).</summary>
    public static string ConvLayersScript => Path.Combine(AppContext.BaseDirectory, "peer", "conv_layers.py");

    /// <summary>Runs a peer script with the given arguments and returns one JSON element per figure.</summary>
    public static List<JsonElement> RunScript(string script, string arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Python, $"\"{script}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["MALLOC_TOP_PAD_"] = "268435456";
        psi.Environment["MALLOC_MMAP_THRESHOLD_"] = "4294967296";
        psi.Environment["MALLOC_TRIM_THRESHOLD_"] = "4294967296";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var lines = new List<JsonElement>();
        while (p.StandardOutput.ReadLine() is { } line)
            if (line.StartsWith('{')) lines.Add(JsonDocument.Parse(line).RootElement.Clone());
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"PyTorch peer failed ({p.ExitCode}): {stderr.Result}");
        return lines;
    }
}
