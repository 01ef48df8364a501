using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>
/// Writes notebook JSON byte for byte as VS Code's ipynb serializer does —
/// <c>JSON.stringify(sortKeysRecursively(notebook), null, 1) + "\n"</c> — so that saving a notebook
/// VS Code wrote changes nothing but what really changed, and git diffs stay small.
/// </summary>
internal sealed class IpynbJsonWriter
{
    private readonly StringBuilder _out = new();
    private readonly HashSet<JsonNode> _multiline;

    private IpynbJsonWriter(IEnumerable<JsonNode> multiline) =>
        _multiline = new HashSet<JsonNode>(multiline, ReferenceEqualityComparer.Instance);

    /// <summary>
    /// The text of <paramref name="root"/>; the string values in <paramref name="multiline"/> are written as
    /// lists of lines (see <see cref="MultilineText.Split"/>).
    /// </summary>
    public static string Write(JsonNode root, IEnumerable<JsonNode> multiline)
    {
        var writer = new IpynbJsonWriter(multiline);
        writer.WriteValue(root, 0);
        return writer._out.Append('\n').ToString();
    }

    private void WriteValue(JsonNode? node, int depth)
    {
        switch (node)
        {
            case JsonObject obj:
                WriteContainer('{', '}', JavaScriptKeyOrder(obj), depth, property =>
                {
                    WriteString(property.Key);
                    _out.Append(": ");
                    WriteValue(property.Value, depth + 1);
                });
                break;
            case JsonArray array:
                WriteContainer('[', ']', array.ToList(), depth, item => WriteValue(item, depth + 1));
                break;
            case JsonValue text when _multiline.Contains(text):
                WriteContainer('[', ']', MultilineText.Split(text.GetValue<string>()), depth, WriteString);
                break;
            case JsonValue value:
                WriteScalar(value);
                break;
            default:
                _out.Append("null");
                break;
        }
    }

    /// <summary>JSON.stringify's layout with a one-space indent: one item per line, <c>[]</c> and <c>{}</c> when empty.</summary>
    private void WriteContainer<T>(char open, char close, IReadOnlyList<T> items, int depth, Action<T> writeItem)
    {
        _out.Append(open);
        for (int i = 0; i < items.Count; i++)
        {
            _out.Append(i == 0 ? "\n" : ",\n").Append(' ', depth + 1);
            writeItem(items[i]);
        }
        if (items.Count > 0) _out.Append('\n').Append(' ', depth);
        _out.Append(close);
    }

    /// <summary>
    /// Keys sorted as <c>Array.prototype.sort</c> sorts strings (by UTF-16 code unit) — except that a JavaScript
    /// object always lists integer keys ("0", "7", "10") first, in numeric order.
    /// </summary>
    private static List<KeyValuePair<string, JsonNode?>> JavaScriptKeyOrder(JsonObject obj) =>
        obj.OrderBy(p => ArrayIndex(p.Key) is null ? 1 : 0)
           .ThenBy(p => ArrayIndex(p.Key) ?? 0)
           .ThenBy(p => p.Key, StringComparer.Ordinal)
           .ToList();

    private static uint? ArrayIndex(string key) =>
        key.Length > 0 && (key == "0" || key[0] != '0') && key.All(char.IsAsciiDigit)
        && uint.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out uint index) && index < uint.MaxValue
            ? index : null;

    private void WriteScalar(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(value.TryGetValue(out string? text) ? text : JsonSerializer.Deserialize<string>(value.ToJsonString())!);
                break;
            case JsonValueKind.Number:
                _out.Append(JavaScriptNumber(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture)));
                break;
            case JsonValueKind.True: _out.Append("true"); break;
            case JsonValueKind.False: _out.Append("false"); break;
            default: _out.Append("null"); break;
        }
    }

    /// <summary>A string as JSON.stringify writes it: only quotes, backslashes, control characters and lone surrogates are escaped.</summary>
    private void WriteString(string text)
    {
        _out.Append('"');
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '"': _out.Append("\\\""); break;
                case '\\': _out.Append("\\\\"); break;
                case '\b': _out.Append("\\b"); break;
                case '\f': _out.Append("\\f"); break;
                case '\n': _out.Append("\\n"); break;
                case '\r': _out.Append("\\r"); break;
                case '\t': _out.Append("\\t"); break;
                case < ' ':
                    _out.Append("\\u").Append(((int)c).ToString("x4"));
                    break;
                case >= '\uD800' and <= '\uDBFF' when i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]):
                    _out.Append(c).Append(text[++i]);
                    break;
                case >= '\uD800' and <= '\uDFFF':
                    _out.Append("\\u").Append(((int)c).ToString("x4"));
                    break;
                default:
                    _out.Append(c);
                    break;
            }
        }
        _out.Append('"');
    }

    /// <summary>
    /// A number as JavaScript prints it (ECMAScript Number::toString): the shortest digits that round-trip,
    /// plain notation for 1e-7 &lt; |x| &lt; 1e21 (<c>1</c>, not <c>1.0</c>), else <c>1e+21</c> / <c>1e-7</c>.
    /// </summary>
    internal static string JavaScriptNumber(double x)
    {
        if (!double.IsFinite(x)) return "null";
        if (x == 0) return "0";
        // .NET's "R" gives the shortest round-trip digits, e.g. "1.5E-07": read them as digits × 10^(n − k).
        string r = Math.Abs(x).ToString("R", CultureInfo.InvariantCulture);
        int exponent = 0, e = r.IndexOf('E');
        if (e >= 0) (exponent, r) = (int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture), r[..e]);
        int dot = r.IndexOf('.');
        string whole = dot < 0 ? r : r[..dot], all = dot < 0 ? r : whole + r[(dot + 1)..];
        string digits = all.TrimStart('0');
        int n = whole.Length + exponent - (all.Length - digits.Length);   // where the decimal point goes
        digits = digits.TrimEnd('0');
        int k = digits.Length;

        string sign = x < 0 ? "-" : "";
        if (k <= n && n <= 21) return sign + digits + new string('0', n - k);
        if (0 < n && n <= 21) return sign + digits[..n] + "." + digits[n..];
        if (-6 < n && n <= 0) return sign + "0." + new string('0', -n) + digits;
        string mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
        return sign + mantissa + "e" + (n - 1 >= 0 ? "+" : "-") + Math.Abs(n - 1);
    }
}
