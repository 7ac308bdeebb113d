namespace Cairn.Space.Tests.Infrastructure;

/// <summary>A Space shared by the tests of one class, started once and torn down (database dropped) after.</summary>
public abstract class SpaceFixture(DatabaseKind database, bool kestrel, IReadOnlyDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    private SpaceFactory? _factory;

    public SpaceFactory Factory => _factory ?? throw new InvalidOperationException("the fixture has not started");

    public DatabaseKind Database => database;

    public virtual ValueTask InitializeAsync()
    {
        _factory = new SpaceFactory(database, kestrel, settings);
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
