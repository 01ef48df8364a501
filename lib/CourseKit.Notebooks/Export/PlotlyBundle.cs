using System.Text.RegularExpressions;
using Plotly.NET;

namespace CourseKit.Notebooks;

/// <summary>
/// plotly.js, the JavaScript library that draws CourseKit's charts, as shipped inside Plotly.NET. Chart outputs
/// may each carry a copy (3.6 MB); an exported page carries it once, in its head.
/// </summary>
internal static partial class PlotlyBundle
{
    private static readonly Lazy<(string Version, string Script)> Bundled = new(Read);

    /// <summary>The plotly.js version, e.g. <c>2.28.0</c>.</summary>
    public static string Version => Bundled.Value.Version;

    /// <summary>
    /// The whole plotly.js in a <c>&lt;script&gt;</c>, wrapped so that an AMD or CommonJS loader on the page
    /// cannot capture it: it always sets <c>window.Plotly</c>.
    /// </summary>
    public static string InlineScriptTag() =>
        "<script type=\"text/javascript\">(function (define, module, exports) {\n" + Bundled.Value.Script + "\n})();</script>\n";

    /// <summary>A <c>&lt;script src&gt;</c> loading the same plotly.js version from the CDN.</summary>
    public static string CdnScriptTag() =>
        $"<script src=\"https://cdn.plot.ly/plotly-{Version}.min.js\" charset=\"utf-8\"></script>\n";

    /// <summary>
    /// <paramref name="html"/> without the <c>&lt;script&gt;</c> elements that load plotly.js — inline copies
    /// (over 1 MB of script mentioning "plotly.js") and CDN references — since the page loads it once itself.
    /// </summary>
    public static string RemoveCopies(string html, out bool removed)
    {
        bool any = false;
        string result = ScriptElement().Replace(html, script =>
        {
            bool copy = script.Groups["body"].Length > 1_000_000 && script.Groups["body"].Value.Contains("plotly.js", StringComparison.Ordinal)
                        || CdnSource().IsMatch(script.Groups["attributes"].Value);
            any |= copy;
            return copy ? "" : script.Value;
        });
        removed = any;
        return result;
    }

    [GeneratedRegex(@"<script\b(?<attributes>[^>]*)>(?<body>.*?)</script\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptElement();

    [GeneratedRegex(@"\bsrc\s*=\s*[""']?https?://cdn\.plot\.ly/plotly-", RegexOptions.IgnoreCase)]
    private static partial Regex CdnSource();

    /// <summary>Reads plotly.min.js from Plotly.NET's embedded resources; the version is in the resource's name.</summary>
    private static (string, string) Read()
    {
        var assembly = typeof(GenericChart).Assembly;
        string name = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-") && n.EndsWith(".min.js"));
        using var stream = assembly.GetManifestResourceStream(name)!;
        return (name["Plotly.NET.plotly-".Length..^".min.js".Length], new StreamReader(stream).ReadToEnd());
    }
}
