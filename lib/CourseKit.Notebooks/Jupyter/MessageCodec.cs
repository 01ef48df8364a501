using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// The wire format: <c>[identities…, "&lt;IDS|MSG&gt;", hmac, header, parent_header, metadata, content, buffers…]</c>,
/// where hmac is the hex HMAC-SHA256 of the four JSON frames under the connection key. Every message sent is
/// signed; a received message whose signature does not match is rejected.
/// </summary>
public sealed class MessageCodec(string key)
{
    /// <summary>The frame between the routing identities and the signature.</summary>
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly byte[] _key = Encoding.UTF8.GetBytes(key);

    /// <summary>The frames of <paramref name="message"/>, signed.</summary>
    public List<byte[]> Encode(JupyterMessage message)
    {
        byte[][] parts = [Serialize(message.Header), Serialize(message.ParentHeader), Serialize(message.Metadata), Serialize(message.Content)];
        return [.. message.Identities, Delimiter, Encoding.ASCII.GetBytes(Sign(parts)), .. parts, .. message.Buffers];
    }

    /// <summary>
    /// The message in <paramref name="frames"/>, or null with the <paramref name="problem"/> when they are not a
    /// well-formed message or its signature is wrong.
    /// </summary>
    public JupyterMessage? Decode(IReadOnlyList<byte[]> frames, out string? problem)
    {
        int delimiter = -1;
        for (int i = 0; i < frames.Count && delimiter < 0; i++)
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) delimiter = i;
        if (delimiter < 0 || frames.Count < delimiter + 6)
        {
            problem = $"malformed message ({frames.Count} frames, no <IDS|MSG> delimiter followed by signature, header, parent header, metadata and content)";
            return null;
        }
        byte[][] parts = [frames[delimiter + 2], frames[delimiter + 3], frames[delimiter + 4], frames[delimiter + 5]];
        if (_key.Length > 0 && !CryptographicOperations.FixedTimeEquals(frames[delimiter + 1], Encoding.ASCII.GetBytes(Sign(parts))))
        {
            problem = "invalid signature";
            return null;
        }
        try
        {
            var objects = parts.Select(p => JsonNode.Parse(p) as JsonObject ?? new JsonObject()).ToArray();
            problem = null;
            return new JupyterMessage(frames.Take(delimiter).ToList(), objects[0], objects[1], objects[2], objects[3],
                                      frames.Skip(delimiter + 6).ToList());
        }
        catch (JsonException e)
        {
            problem = $"malformed JSON: {e.Message}";
            return null;
        }
    }

    /// <summary>The lower-case hex HMAC-SHA256 of the parts, or "" without a key.</summary>
    private string Sign(byte[][] parts)
    {
        if (_key.Length == 0) return "";
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        foreach (byte[] part in parts) hmac.AppendData(part);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    private static byte[] Serialize(JsonObject json) => Encoding.UTF8.GetBytes(json.ToJsonString(Json));
}
