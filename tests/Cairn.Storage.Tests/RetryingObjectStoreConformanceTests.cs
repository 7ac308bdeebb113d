using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests;

/// <summary>The retry wrapper keeps the contract of the store it wraps, here with occasional faults it cures.</summary>
public sealed class RetryingObjectStoreConformanceTests : ObjectStoreConformanceTests
{
    protected override Task<IObjectStore> CreateEmptyStoreAsync()
    {
        var faulty = new FaultInjectingObjectStore(new InMemoryObjectStore());
        faulty.Inject(StoreOperation.Stat, StoreFault.Transient(), firstCall: 2);
        faulty.Inject(StoreOperation.Read, StoreFault.Transient(), firstCall: 3);
        faulty.Inject(StoreOperation.List, StoreFault.TransientAfterCompletion(), firstCall: 2);
        return Task.FromResult<IObjectStore>(new RetryingObjectStore(faulty, timeProvider: new InstantTimeProvider()));
    }
}
