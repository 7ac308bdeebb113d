using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests;

public sealed class InMemoryObjectStoreConformanceTests : ObjectStoreConformanceTests
{
    protected override Task<IObjectStore> CreateEmptyStoreAsync() => Task.FromResult<IObjectStore>(new InMemoryObjectStore());
}
