using System.CommandLine;
using System.Reflection;
using CourseKit.Notebooks;
using CourseKit.Notebooks.Jupyter;
using Spectre.Console;

namespace CourseKit.Cli.Commands;

/// <summary>
/// <c>coursekit kernel -f CONNECTION_FILE</c>: CourseKit's C# Jupyter kernel, as Jupyter starts it.
/// <c>coursekit kernel install [--user | --prefix DIR] [--name NAME] [--force]</c> and <c>kernel uninstall</c>
/// register it (as <c>.net-csharp</c>, the kernel the course notebooks ask for) so that VS Code, JupyterLab and
/// nbconvert find it.
/// </summary>
internal static class KernelCommand
{
    public static Command Create()
    {
        var connectionFile = new Option<string?>("--connection-file", "-f") { Description = "The connection file Jupyter writes (Jupyter passes it; you rarely start the kernel by hand)." };
        var command = new Command("kernel", "Run CourseKit's C# Jupyter kernel (Jupyter starts it), or install / uninstall its kernelspec.")
        {
            connectionFile, Install(), Uninstall(),
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(connectionFile) is not { } path)
            {
                Console.Error.WriteLine("coursekit kernel: give -f CONNECTION_FILE (Jupyter does). To make Jupyter find the kernel, run `coursekit kernel install`.");
                return 2;
            }
            var log = TextWriter.Synchronized(new StreamWriter(Console.OpenStandardError()) { AutoFlush = true });
            try
            {
                new JupyterKernel(ConnectionInfo.Load(path), Version, log).Run();
                return 0;
            }
            catch (Exception e) when (e is NotebookException or IOException or NetMQ.NetMQException)
            {
                log.WriteLine($"coursekit kernel: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Command Install()
    {
        var (user, prefix, name) = Location();
        var force = new Option<bool>("--force") { Description = "Replace a kernelspec of that name that is not CourseKit's (e.g. .NET Interactive's)." };
        var command = new Command("install", "Register the kernel with Jupyter (default: for this user, as .net-csharp).") { user, prefix, name, force };
        command.SetAction(parse =>
        {
            if (KernelsFolder(parse.GetValue(user), parse.GetValue(prefix)) is not { } folder) return 2;
            string kernelName = parse.GetValue(name)!;
            try
            {
                string installed = KernelSpec.Install(folder, kernelName, KernelSpec.KernelJson(SelfCommand(), Version), Logo(), parse.GetValue(force));
                AnsiConsole.MarkupLineInterpolated($"[green]✓[/] kernelspec {kernelName} ({KernelSpec.DisplayName}) → {installed}");
                return 0;
            }
            catch (Exception e) when (e is NotebookException or IOException or UnauthorizedAccessException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]✗[/] {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Command Uninstall()
    {
        var (user, prefix, name) = Location();
        var command = new Command("uninstall", "Remove CourseKit's kernelspec (never another kernel's).") { user, prefix, name };
        command.SetAction(parse =>
        {
            if (KernelsFolder(parse.GetValue(user), parse.GetValue(prefix)) is not { } folder) return 2;
            string kernelName = parse.GetValue(name)!;
            try
            {
                string? removed = KernelSpec.Uninstall(folder, kernelName);
                if (removed is null) AnsiConsole.MarkupLineInterpolated($"no kernelspec {kernelName} in {folder}; nothing to remove.");
                else AnsiConsole.MarkupLineInterpolated($"[green]✓[/] removed {removed}");
                return 0;
            }
            catch (Exception e) when (e is NotebookException or IOException or UnauthorizedAccessException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]✗[/] {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>The options that say which kernelspec: where (<c>--user</c> or <c>--prefix</c>) and its name.</summary>
    private static (Option<bool> User, Option<string?> Prefix, Option<string> Name) Location() => (
        new Option<bool>("--user") { Description = "This user's Jupyter kernels folder (the default)." },
        new Option<string?>("--prefix") { Description = "An environment prefix: the kernelspec goes to PREFIX/share/jupyter/kernels." },
        new Option<string>("--name") { Description = "The kernelspec name.", DefaultValueFactory = _ => KernelSpec.DefaultName });

    /// <summary>The kernels folder chosen, or null (after saying why) when both --user and --prefix are given.</summary>
    private static string? KernelsFolder(bool user, string? prefix)
    {
        if (user && prefix is not null)
        {
            AnsiConsole.MarkupLine("[red]✗[/] --user and --prefix exclude each other.");
            return null;
        }
        return prefix is null ? KernelSpec.UserKernelsFolder() : KernelSpec.PrefixKernelsFolder(prefix);
    }

    /// <summary>
    /// The command that starts this program: <c>dotnet /abs/CourseKit.Cli.dll</c> when it runs through the dotnet
    /// host, otherwise its own executable (the apphost, or the <c>coursekit</c> tool shim).
    /// </summary>
    private static string[] SelfCommand()
    {
        string process = Environment.ProcessPath ?? throw new IOException("cannot tell which program is running, so the kernelspec cannot say how to start it.");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, typeof(KernelCommand).Assembly.Location]
            : [process];
    }

    /// <summary>CourseKit's version, e.g. <c>0.1.0</c>.</summary>
    private static string Version =>
        typeof(KernelCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The kernel's 64×64 logo: a 3×3 convolution kernel, light squares on .NET purple.</summary>
    private static byte[] Logo()
    {
        const int size = 64, cell = 16, gap = 3, margin = (size - 3 * cell - 2 * gap) / 2;
        byte[] purple = [0x51, 0x2B, 0xD4];
        float[] weights = [1.0f, 0.55f, 0.2f, 0.55f, 1.0f, 0.55f, 0.2f, 0.55f, 1.0f];   // shades of the kernel's weights
        var pixels = new byte[size * size * 3];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int cx = (x - margin) / (cell + gap), cy = (y - margin) / (cell + gap);
                bool inside = x >= margin && y >= margin && cx < 3 && cy < 3 &&
                              (x - margin) % (cell + gap) < cell && (y - margin) % (cell + gap) < cell;
                float w = inside ? weights[cy * 3 + cx] : 0;
                for (int c = 0; c < 3; c++)
                    pixels[(y * size + x) * 3 + c] = (byte)(purple[c] + w * (255 - purple[c]));
            }
        return Png.Encode(pixels, size, size, channels: 3);
    }
}
