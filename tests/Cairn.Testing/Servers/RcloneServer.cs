using Cairn.Testing.Processes;
using Cairn.Testing.Trees;

namespace Cairn.Testing.Servers;

/// <summary>
/// A real REST server for the tests, the peer restic users run: <c>rclone serve restic</c> on a free loopback
/// port, serving a folder (a scratch folder of its own unless the test names one).
/// </summary>
public sealed class RcloneServer : IAsyncDisposable
{
    private readonly RunningProgram _program;
    private readonly Scratch? _scratch;

    private RcloneServer(RunningProgram program, Scratch? scratch, string root, int port)
    {
        _program = program;
        _scratch = scratch;
        Root = root;
        Port = port;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseUri { get; }

    public int Port { get; }

    /// <summary>The folder rclone serves; repository <c>x</c> is in its subfolder <c>x</c>.</summary>
    public string Root { get; }

    public static async Task<RcloneServer> StartAsync(CancellationToken cancellationToken, params string[] extraArguments) =>
        await StartAsync(root: null, extraArguments, cancellationToken).ConfigureAwait(false);

    /// <summary>Starts it serving <paramref name="root"/> (made if missing), or a scratch folder of its own when null.</summary>
    public static async Task<RcloneServer> StartAsync(string? root, IEnumerable<string>? extraArguments = null, CancellationToken cancellationToken = default)
    {
        var scratch = root is null ? new Scratch("cairn-rclone-") : null;
        var folder = root ?? scratch!.Path;
        Directory.CreateDirectory(folder);
        var port = FreePort.Next();
        var program = RunningProgram.Start(ProgramStart.Of("rclone",
            ["serve", "restic", "--addr", $"127.0.0.1:{port}", "--config", "", "--log-level", "ERROR", .. extraArguments ?? [], folder]) with
        {
            Timeout = TimeSpan.FromMinutes(30),
        });
        var server = new RcloneServer(program, scratch, folder, port);
        try
        {
            await FreePort.WaitListeningAsync(port, () => program.HasExited, "rclone serve restic", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>The <c>rest:</c> location of repository <paramref name="name"/> under this server.</summary>
    public string LocationOf(string name, string? userInfo = null)
    {
        var authority = userInfo is null ? BaseUri.Authority : $"{userInfo}@{BaseUri.Authority}";
        return $"rest:http://{authority}/{name}/";
    }

    /// <summary>A <c>rest:</c> location for a repository of its own under this server.</summary>
    public string NewRepositoryLocation(string? userInfo = null) => LocationOf("repo-" + Guid.NewGuid().ToString("n")[..12], userInfo);

    /// <summary>The folder on disk behind a location made by <see cref="NewRepositoryLocation"/>.</summary>
    public string FolderOf(string location) => Path.Combine(Root, location.TrimEnd('/').Split('/')[^1]);

    public async ValueTask DisposeAsync()
    {
        await _program.DisposeAsync().ConfigureAwait(false);
        _scratch?.Dispose();
    }
}
