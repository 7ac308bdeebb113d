using Cairn.Space.Backups.Stores;
using Cairn.Storage;
using Cairn.Storage.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// Space's real storage with every opened repository wrapped in a <see cref="FaultInjectingObjectStore"/>: the next
/// calls of one operation fail (transiently: an S3 timeout, a 5xx from RGW) until as many have failed as asked.
/// </summary>
public sealed class FaultyRepositoryStorage(IRepositoryStorage inner) : IRepositoryStorage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(StoreOperation, ObjectKind?), (int Left, bool Transient)> _faults = [];
    private readonly Dictionary<StoreOperation, int> _failed = [];

    /// <summary>Replaces Space's storage with this one over it; the test finds it as a service.</summary>
    public static void Install(IServiceCollection services)
    {
        services.RemoveAll<IRepositoryStorage>();
        services.AddSingleton(sp => new FaultyRepositoryStorage(RepositoryStorage.Create(sp)));
        services.AddSingleton<IRepositoryStorage>(sp => sp.GetRequiredService<FaultyRepositoryStorage>());
    }

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="operation"/> (on objects of <paramref name="kind"/>) fail,
    /// transiently unless <paramref name="transient"/> is false.
    /// </summary>
    public void FailNext(StoreOperation operation, int times = int.MaxValue / 2, ObjectKind? kind = null, bool transient = true)
    {
        lock (_lock)
        {
            _faults[(operation, kind)] = (times, transient);
        }
    }

    /// <summary>The store answers again (what "the fault is gone" means for a client retrying).</summary>
    public void Heal()
    {
        lock (_lock)
        {
            _faults.Clear();
        }
    }

    /// <summary>How many calls of an operation failed by this storage's doing.</summary>
    public int Failed(StoreOperation operation)
    {
        lock (_lock)
        {
            return _failed.GetValueOrDefault(operation);
        }
    }

    public IObjectStore Open(Guid instanceId, Guid taskId)
    {
        var store = new FaultInjectingObjectStore(inner.Open(instanceId, taskId));
        lock (_lock)
        {
            foreach (var ((operation, kind), (left, transient)) in _faults)
            {
                if (left > 0)
                {
                    store.Inject(operation, StoreFault.Throw(() => Fire(operation, kind, transient)), times: left, kind: kind);
                }
            }
        }

        return store;
    }

    public Task DeleteRepositoryAsync(Guid instanceId, Guid taskId, CancellationToken cancellationToken)
        => inner.DeleteRepositoryAsync(instanceId, taskId, cancellationToken);

    public Task CheckReachableAsync(CancellationToken cancellationToken) => inner.CheckReachableAsync(cancellationToken);

    // Called when a rule fires; a store opened before the budget ran out may still fail once more, as a flaky one would.
    private StorageException Fire(StoreOperation operation, ObjectKind? kind, bool transient)
    {
        lock (_lock)
        {
            _failed[operation] = _failed.GetValueOrDefault(operation) + 1;
            if (_faults.TryGetValue((operation, kind), out var fault))
            {
                _faults[(operation, kind)] = (fault.Left - 1, fault.Transient);
            }
        }

        return transient
            ? new StorageException($"injected: the object store timed out ({operation})", isTransient: true)
            : new StorageException($"injected: the object store refused ({operation})", isTransient: false);
    }
}
