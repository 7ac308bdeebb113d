using System.Net;
using System.Net.Sockets;

namespace Cairn.Storage.Tests.S3;

/// <summary>
/// A loopback TCP proxy in front of a server that resets the first connections it accepts once a request has
/// arrived on them (a network that fails now and then; after the request, so that no HTTP client can tell the
/// failure from one of the server's) and forwards the later ones untouched.
/// </summary>
internal sealed class FlakyTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly int _resets;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _accepted;

    public FlakyTcpProxy(Uri target, int resets)
    {
        _target = target;
        _resets = resets;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Resets => Math.Min(_accepted, _resets);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Interlocked.Increment(ref _accepted) <= _resets ? ResetAfterRequestAsync(client) : ForwardAsync(client);
        }
    }

    private async Task ResetAfterRequestAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                _ = await client.GetStream().ReadAsync(new byte[4096], _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }

            // A reset, not a clean end: closing the socket itself (a stream would shut it down first, sending a FIN).
            client.Client.LingerState = new LingerOption(true, 0);
            client.Client.Close();
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
                await using var up = client.GetStream();
                await using var down = server.GetStream();
                await Task.WhenAny(up.CopyToAsync(down, _stop.Token), down.CopyToAsync(up, _stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // One side went away: the other is closed with it.
            }
        }
    }
}
