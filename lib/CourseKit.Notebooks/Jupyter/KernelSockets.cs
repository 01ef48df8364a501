using NetMQ;
using NetMQ.Sockets;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>The kernel's sockets besides the heartbeat.</summary>
internal enum Channel
{
    /// <summary>ROUTER: requests from frontends, answered in order.</summary>
    Shell,
    /// <summary>ROUTER: shutdown and interrupt, answered even while a cell runs.</summary>
    Control,
    /// <summary>ROUTER: the kernel asks the frontend for input.</summary>
    Stdin,
    /// <summary>PUB: outputs and busy/idle status, broadcast to every frontend.</summary>
    Iopub,
}

/// <summary>
/// Binds shell, control, stdin (ROUTER) and iopub (PUB) and owns them on one thread, as NetMQ requires: messages
/// received are verified and handed to a callback there; messages sent from any thread are queued and sent
/// there, in the order they were queued.
/// </summary>
internal sealed class KernelSockets
{
    private readonly MessageCodec _codec;
    private readonly TextWriter _log;
    private readonly Action<Channel, JupyterMessage> _received;
    private readonly Dictionary<Channel, NetMQSocket> _sockets;
    private readonly NetMQQueue<(Channel Channel, List<byte[]>? Frames)> _outgoing = new();
    private readonly NetMQPoller _poller;

    /// <param name="connection">Where to bind.</param>
    /// <param name="codec">Signs what is sent and verifies what is received.</param>
    /// <param name="log">Where messages that are ignored are reported.</param>
    /// <param name="received">Called on the socket thread for every well-signed message on shell, control and stdin.</param>
    public KernelSockets(ConnectionInfo connection, MessageCodec codec, TextWriter log, Action<Channel, JupyterMessage> received)
    {
        (_codec, _log, _received) = (codec, log, received);
        _sockets = new()
        {
            [Channel.Shell] = new RouterSocket(), [Channel.Control] = new RouterSocket(),
            [Channel.Stdin] = new RouterSocket(), [Channel.Iopub] = new PublisherSocket(),
        };
        _sockets[Channel.Shell].Bind(connection.Endpoint(connection.ShellPort));
        _sockets[Channel.Control].Bind(connection.Endpoint(connection.ControlPort));
        _sockets[Channel.Stdin].Bind(connection.Endpoint(connection.StdinPort));
        _sockets[Channel.Iopub].Bind(connection.Endpoint(connection.IopubPort));
        _poller = new NetMQPoller { _outgoing };
        foreach (var channel in new[] { Channel.Shell, Channel.Control, Channel.Stdin })
        {
            _sockets[channel].ReceiveReady += (_, e) => Receive(channel, e.Socket);
            _poller.Add(_sockets[channel]);
        }
        _outgoing.ReceiveReady += (_, _) => SendQueued();
    }

    /// <summary>Queues <paramref name="message"/>, signed, for <paramref name="channel"/>.</summary>
    public void Send(Channel channel, JupyterMessage message) => _outgoing.Enqueue((channel, _codec.Encode(message)));

    /// <summary>Serves the sockets on the calling thread until <see cref="Stop"/>, then closes them.</summary>
    public void Run()
    {
        _poller.Run();
        foreach (var socket in _sockets.Values)
        {
            socket.Options.Linger = TimeSpan.FromSeconds(1);
            socket.Dispose();
        }
        _poller.Dispose();
        _outgoing.Dispose();
    }

    /// <summary>Ends <see cref="Run"/> once every message queued before has been sent.</summary>
    public void Stop() => _outgoing.Enqueue((Channel.Iopub, null));

    private void Receive(Channel channel, NetMQSocket socket)
    {
        List<byte[]>? frames = null;
        while (socket.TryReceiveMultipartBytes(ref frames))
        {
            var message = _codec.Decode(frames!, out string? problem);
            if (message is null) _log.WriteLine($"coursekit kernel: ignored a message on {channel.ToString().ToLowerInvariant()}: {problem}.");
            else
            {
                try { _received(channel, message); }
                catch (Exception e) { _log.WriteLine($"coursekit kernel: {message.MsgType} failed: {e}"); }
            }
            frames = null;
        }
    }

    private void SendQueued()
    {
        while (_outgoing.TryDequeue(out var item, TimeSpan.Zero))
        {
            if (item.Frames is null)
            {
                _poller.Stop();
                return;
            }
            _sockets[item.Channel].SendMultipartBytes(item.Frames);
        }
    }
}
