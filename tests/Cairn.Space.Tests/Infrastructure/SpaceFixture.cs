using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>A Space shared by the tests of one class, started once and torn down (database dropped) after.</summary>
/// <param name="onS3">Keeps the repositories in a prefix of their own on the test RGW instead of the local folder.</param>
/// <param name="testServices">Replaces services after Space's own registrations (see <see cref="SpaceFactory.TestServices"/>).</param>
public abstract class SpaceFixture(DatabaseKind database, bool kestrel, IReadOnlyDictionary<string, string?>? settings = null, bool onS3 = false,
    Action<IServiceCollection>? testServices = null)
    : IAsyncLifetime
{
    private SpaceFactory? _factory;

    public SpaceFactory Factory => _factory ?? throw new InvalidOperationException("the fixture has not started");

    public DatabaseKind Database => database;

    public virtual ValueTask InitializeAsync()
    {
        _factory = new SpaceFactory(database, kestrel, settings, s3Prefix: onS3 ? SpaceFactory.NewS3Prefix : null) { TestServices = testServices };
        _factory.StartServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
