using System.Net;
using System.Net.Sockets;

namespace Cairn.Robustness.Tests.Infrastructure;

/// <summary>A REST backend for the tier: <c>rclone serve restic</c> on a free loopback port, serving a scratch folder.</summary>
public sealed class RcloneServer : IAsyncDisposable
{
    private readonly RunningProgram _program;

    private RcloneServer(RunningProgram program, int port, string root)
    {
        _program = program;
        Port = port;
        Root = root;
    }

    public int Port { get; }

    public string Root { get; }

    public string LocationOf(string name) => $"rest:http://127.0.0.1:{Port}/{name}/";

    public static async Task<RcloneServer> StartAsync(string root)
    {
        Directory.CreateDirectory(root);
        var port = FreePort();
        var program = Programs.Start("rclone", ["serve", "restic", "--addr", $"127.0.0.1:{port}", "--config", "", "--log-level", "ERROR", root]);
        var server = new RcloneServer(program, port, root);
        await WaitForPortAsync(port, () => program.HasExited, "rclone serve restic");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        _program.KillHard();
        await _program.WaitAsync(TimeSpan.FromSeconds(30));
        _program.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on the port (60 s at most).</summary>
    public static async Task WaitForPortAsync(int port, Func<bool> exited, string what)
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
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{what} did not listen on port {port} within 60 s");
    }
}
