using System.Globalization;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// One message of the Jupyter messaging protocol: who it is for (the ROUTER identities), its header
/// (<c>msg_id</c>, <c>session</c>, <c>username</c>, <c>date</c>, <c>msg_type</c>, <c>version</c>), the header of
/// the request it answers, metadata and content (JSON), and binary buffers.
/// </summary>
public sealed class JupyterMessage
{
    /// <summary>The protocol version this kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>A message with the given parts.</summary>
    public JupyterMessage(IReadOnlyList<byte[]> identities, JsonObject header, JsonObject parentHeader,
                          JsonObject metadata, JsonObject content, IReadOnlyList<byte[]>? buffers = null)
    {
        (Identities, Header, ParentHeader, Metadata, Content) = (identities, header, parentHeader, metadata, content);
        Buffers = buffers ?? [];
    }

    /// <summary>The ROUTER routing frames: whom a reply goes back to.</summary>
    public IReadOnlyList<byte[]> Identities { get; }

    /// <summary><c>msg_id</c>, <c>session</c>, <c>username</c>, <c>date</c>, <c>msg_type</c>, <c>version</c>.</summary>
    public JsonObject Header { get; }

    /// <summary>The header of the request this message answers (empty when it answers none).</summary>
    public JsonObject ParentHeader { get; }

    /// <summary>Free-form metadata.</summary>
    public JsonObject Metadata { get; }

    /// <summary>The message's body; its fields depend on <see cref="MsgType"/>.</summary>
    public JsonObject Content { get; }

    /// <summary>Binary frames after the content (unused by this kernel, kept when received).</summary>
    public IReadOnlyList<byte[]> Buffers { get; }

    /// <summary>e.g. <c>execute_request</c>.</summary>
    public string MsgType => (string?)Header["msg_type"] ?? "";

    /// <summary>The message's unique id.</summary>
    public string MsgId => (string?)Header["msg_id"] ?? "";

    /// <summary>
    /// A new message from the kernel: <paramref name="parent"/> is the request it answers (its header becomes the
    /// parent header and, unless <paramref name="identities"/> are given, its sender the recipient).
    /// </summary>
    public static JupyterMessage Create(string msgType, JsonObject content, JupyterMessage? parent, string session,
                                        IReadOnlyList<byte[]>? identities = null)
    {
        var header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"),
            ["session"] = session,
            ["username"] = "coursekit",
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["msg_type"] = msgType,
            ["version"] = ProtocolVersion,
        };
        var parentHeader = parent is null ? new JsonObject() : (JsonObject)parent.Header.DeepClone();
        return new JupyterMessage(identities ?? parent?.Identities ?? [], header, parentHeader, new JsonObject(), content);
    }
}
