using System.Text.Json;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// The connection file Jupyter writes before starting a kernel (<c>kernel -f FILE</c>): where to bind the five
/// sockets and the key that signs every message.
/// </summary>
/// <param name="Transport">Only <c>tcp</c> is supported (NetMQ's <c>ipc</c> is not libzmq's).</param>
/// <param name="Ip">The address to bind, usually <c>127.0.0.1</c>.</param>
/// <param name="ShellPort">The shell socket's port (requests and replies).</param>
/// <param name="IopubPort">The iopub socket's port (outputs and status).</param>
/// <param name="StdinPort">The stdin socket's port (input requests).</param>
/// <param name="ControlPort">The control socket's port (interrupt, shutdown).</param>
/// <param name="HbPort">The heartbeat socket's port.</param>
/// <param name="Key">The HMAC key; empty means messages are not signed.</param>
/// <param name="SignatureScheme">Only <c>hmac-sha256</c> is supported.</param>
public sealed record ConnectionInfo(string Transport, string Ip, int ShellPort, int IopubPort, int StdinPort,
                                    int ControlPort, int HbPort, string Key, string SignatureScheme)
{
    /// <summary>Reads a connection file; a missing field or an unsupported transport or scheme is a clear error.</summary>
    public static ConnectionInfo Load(string path)
    {
        JsonElement json;
        try { json = JsonDocument.Parse(File.ReadAllText(path)).RootElement; }
        catch (JsonException e) { throw new NotebookException($"{path}: not a Jupyter connection file: {e.Message}"); }

        string Text(string name, string? fallback = null) =>
            json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!
            : fallback ?? throw new NotebookException($"{path}: the connection file has no \"{name}\".");
        int Port(string name) =>
            json.TryGetProperty(name, out var value) && value.TryGetInt32(out int port) && port > 0 ? port
            : throw new NotebookException($"{path}: the connection file has no valid \"{name}\" (CourseKit's kernel needs the ports given).");

        var info = new ConnectionInfo(Text("transport", "tcp"), Text("ip", "127.0.0.1"), Port("shell_port"), Port("iopub_port"),
                                      Port("stdin_port"), Port("control_port"), Port("hb_port"), Text("key", ""),
                                      Text("signature_scheme", "hmac-sha256"));
        if (info.Transport != "tcp")
            throw new NotebookException($"{path}: transport \"{info.Transport}\" is not supported; CourseKit's kernel speaks tcp.");
        if (info.SignatureScheme != "hmac-sha256")
            throw new NotebookException($"{path}: signature scheme \"{info.SignatureScheme}\" is not supported; use hmac-sha256.");
        return info;
    }

    /// <summary><c>tcp://127.0.0.1:PORT</c>.</summary>
    public string Endpoint(int port) => $"{Transport}://{Ip}:{port}";
}
