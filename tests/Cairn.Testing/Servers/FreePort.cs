using System.Net;
using System.Net.Sockets;

namespace Cairn.Testing.Servers;

/// <summary>Loopback ports for the servers tests start, and the wait until one listens.</summary>
public static class FreePort
{
    /// <summary>A port nothing listens on right now (the system picks it; a server started next takes it).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on the port (60 s at most), failing early when <paramref name="exited"/>.</summary>
    public static async Task WaitListeningAsync(int port, Func<bool> exited, string what, CancellationToken cancellationToken = default)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (exited())
            {
                throw new InvalidOperationException($"{what} exited before it listened on port {port}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"{what} did not listen on port {port} within 60 s");
    }
}
