using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cairn.Storage.Tests;

/// <summary>A real REST server for the tests: <c>rclone serve restic</c> on a free loopback port, serving a temp folder.</summary>
public sealed class RcloneServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempFolder _folder;

    private RcloneServer(Process process, TempFolder folder, Uri baseUri)
    {
        _process = process;
        _folder = folder;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>The folder rclone serves; repository <c>x</c> is in its subfolder <c>x</c>.</summary>
    public string Root => _folder.Path;

    public static async Task<RcloneServer> StartAsync(CancellationToken cancellationToken, params string[] extraArguments)
    {
        var folder = new TempFolder("cairn-rclone-");
        var port = FreePort();
        var start = new ProcessStartInfo("rclone")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "serve", "restic", "--addr", $"127.0.0.1:{port}", "--config", "", "--log-level", "ERROR" }.Concat(extraArguments).Append(folder.Path))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("rclone did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RcloneServer(process, folder, new Uri($"http://127.0.0.1:{port}/"));
        await server.WaitUntilAnsweringAsync(cancellationToken);
        return server;
    }

    /// <summary>A <c>rest:</c> location for a repository of its own under this server.</summary>
    public string NewRepositoryLocation(string? userInfo = null)
    {
        var name = "repo-" + Guid.NewGuid().ToString("n")[..12];
        var authority = userInfo is null ? BaseUri.Authority : $"{userInfo}@{BaseUri.Authority}";
        return $"rest:http://{authority}/{name}/";
    }

    /// <summary>The folder on disk behind a location made by <see cref="NewRepositoryLocation"/>.</summary>
    public string FolderOf(string location) => Path.Combine(Root, location.TrimEnd('/').Split('/')[^1]);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _folder.Dispose();
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"rclone exited with {_process.ExitCode} before answering");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseUri, "probe/config"), cancellationToken);
                return; // any HTTP answer means it listens
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
