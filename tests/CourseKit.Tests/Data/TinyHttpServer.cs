using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CourseKit.Tests.Data;

/// <summary>How the test server misbehaves.</summary>
internal enum Serve
{
    /// <summary>The file as it is, honouring range requests.</summary>
    Normally,
    /// <summary>The file with one byte flipped in the middle.</summary>
    Corrupted,
    /// <summary>Only the first half of the file, with a Content-Length that matches (so the transfer itself looks fine).</summary>
    Truncated,
    /// <summary>Announces the whole file, sends half of it and closes the connection.</summary>
    DroppingHalfway,
    /// <summary>404 Not Found.</summary>
    NotFound,
}

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 for the downloader tests: GET only, one request per
/// connection, <c>Range: bytes=N-</c> supported. It records the requests it receives, never reaches beyond
/// the loopback address, and stops when disposed.
/// </summary>
internal sealed class TinyHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, byte[]> _files = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>How the next requests are answered.</summary>
    public Serve Mode { get; set; } = Serve.Normally;

    /// <summary>Every request received: the path and the Range header (null if none).</summary>
    public List<(string Path, string? Range)> Requests { get; } = [];

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public string BaseUrl { get; }

    public TinyHttpServer()
    {
        _listener.Start();
        BaseUrl = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>Serves <paramref name="content"/> at <c>/name</c>.</summary>
    public void Add(string name, byte[] content) => _files[name] = content;

    public string Url(string name) => BaseUrl + name;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            using (client)
            {
                try { await Answer(client.GetStream()); }
                catch (IOException) { }                       // the client went away
            }
        }
    }

    private async Task Answer(NetworkStream stream)
    {
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && header.Length < 8192)
        {
            if (await stream.ReadAsync(one) == 0) return;
            header.Append((char)one[0]);
        }
        var lines = header.ToString().Split("\r\n");
        var path = lines[0].Split(' ')[1].TrimStart('/');
        var range = lines.FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))?[6..].Trim();
        lock (Requests) Requests.Add((path, range));

        if (Mode == Serve.NotFound || !_files.TryGetValue(path, out var file))
        {
            await Write(stream, "404 Not Found", [], []);
            return;
        }
        file = Mode switch
        {
            Serve.Corrupted => Flipped(file),
            Serve.Truncated => file[..(file.Length / 2)],
            _ => file,
        };
        long from = range is null ? 0 : long.Parse(range["bytes=".Length..].TrimEnd('-'));
        if (from >= file.Length && range is not null)
        {
            await Write(stream, "416 Range Not Satisfiable", [$"Content-Range: bytes */{file.Length}"], []);
            return;
        }
        var body = file[(int)from..];
        string[] extra = range is null ? [] : [$"Content-Range: bytes {from}-{file.Length - 1}/{file.Length}"];
        var status = range is null ? "200 OK" : "206 Partial Content";
        if (Mode == Serve.DroppingHalfway)
            await Write(stream, status, extra, body, send: body.Length / 2);
        else
            await Write(stream, status, extra, body);
    }

    private static async Task Write(NetworkStream stream, string status, string[] headers, byte[] body, int? send = null)
    {
        var head = $"HTTP/1.1 {status}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n" +
                   string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body.AsMemory(0, send ?? body.Length));
        await stream.FlushAsync();
    }

    private static byte[] Flipped(byte[] file)
    {
        var copy = (byte[])file.Clone();
        copy[copy.Length / 2] ^= 0xFF;
        return copy;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
