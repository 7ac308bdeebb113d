using Cairn.Testing.Servers;

namespace Cairn.Storage.Tests;

/// <summary>One rclone REST server per test class; each test makes its own repository path under it.</summary>
public sealed class RcloneServerFixture : IAsyncLifetime
{
    private RcloneServer? _server;

    public RcloneServer Server => _server ?? throw new InvalidOperationException("the server has not started");

    public async ValueTask InitializeAsync() => _server = await RcloneServer.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
