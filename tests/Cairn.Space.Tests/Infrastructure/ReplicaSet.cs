using System.Collections;
using Cairn.Space.CloudRestore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// Replicas of one cluster in this process: Space hosts sharing one fresh PostgreSQL database (dropped at the end),
/// each with its own data folder and clock, and by default without the cloud job runner, since most of these tests
/// drive the work themselves. The real processes behind haproxy are tests/Cairn.Space.Cluster.Tests.
/// </summary>
public sealed class ReplicaSet : IReadOnlyList<SpaceFactory>, IAsyncDisposable
{
    private readonly string _database;
    private readonly List<SpaceFactory> _replicas;

    /// <param name="settings">The settings of replica i.</param>
    /// <param name="cloudJobRunner">Whether each replica keeps its cloud job runner, as a real replica does.</param>
    public ReplicaSet(int count, Func<int, IReadOnlyDictionary<string, string?>> settings, bool cloudJobRunner = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var connection = TestPostgres.NewDatabase(out _database);
        _replicas = [.. Enumerable.Range(0, count).Select(i => new SpaceFactory(DatabaseKind.Postgres, kestrel: false, settings(i), sharedPostgres: connection)
        {
            TestServices = cloudJobRunner ? null : services => services.Remove(services.Single(d => d.ImplementationType == typeof(CloudJobRunner))),
        })];
    }

    public int Count => _replicas.Count;

    public SpaceFactory this[int index] => _replicas[index];

    /// <summary>Starts every replica at once, as a cluster's replicas start.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
        => await Task.WhenAll(_replicas.Select(r => Task.Run(r.StartServer, cancellationToken)));

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await TestPostgres.DropAsync(_database);
    }

    /// <summary>Runs an action with one replica's scoped services (its own DbContext), as one request there would.</summary>
    public static async Task<T> InScope<T>(SpaceFactory replica, Func<IServiceProvider, Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = replica.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public static Task InScope(SpaceFactory replica, Func<IServiceProvider, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return InScope(replica, async sp =>
        {
            await action(sp);
            return true;
        });
    }

    public IEnumerator<SpaceFactory> GetEnumerator() => _replicas.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
