using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests;

/// <summary>Without faults, the wrapper must be invisible: it passes the whole contract.</summary>
public sealed class FaultInjectingObjectStoreConformanceTests : ObjectStoreConformanceTests
{
    protected override Task<IObjectStore> CreateEmptyStoreAsync() =>
        Task.FromResult<IObjectStore>(new FaultInjectingObjectStore(new InMemoryObjectStore()));
}
