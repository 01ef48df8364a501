using NetMQ;
using NetMQ.Sockets;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// The heartbeat socket (REP): echoes every ping on its own thread, so the frontend knows the process is alive
/// even while a cell keeps the kernel busy. When the process ends, the echoes stop and the frontend sees it die.
/// </summary>
internal sealed class Heartbeat
{
    private readonly ResponseSocket _socket = new();

    /// <summary>Binds to <paramref name="endpoint"/> and starts echoing.</summary>
    public Heartbeat(string endpoint)
    {
        _socket.Bind(endpoint);
        new Thread(Echo) { IsBackground = true, Name = "Jupyter heartbeat" }.Start();
    }

    /// <summary>Echoes until NetMQ shuts down (<see cref="NetMQConfig.Cleanup"/> at the kernel's exit).</summary>
    private void Echo()
    {
        try
        {
            while (true) _socket.SendMultipartBytes(_socket.ReceiveMultipartBytes());
        }
        catch (TerminatingException) { }
        _socket.Dispose();
    }
}
