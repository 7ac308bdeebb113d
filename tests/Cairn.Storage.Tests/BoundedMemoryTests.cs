using Cairn.Storage.Testing;
using Cairn.Testing.Trees;

namespace Cairn.Storage.Tests;

[CollectionDefinition(nameof(BoundedMemoryTests), DisableParallelization = true)]
public sealed class BoundedMemoryCollection;

/// <summary>Space streams uploads through the local store: a save must never hold a whole object in memory.</summary>
[Collection(nameof(BoundedMemoryTests))]
public sealed class BoundedMemoryTests : IDisposable
{
    private const long ObjectSize = 64L << 20;
    private readonly Scratch _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_local_save_streams_through_a_bounded_buffer()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new LocalObjectStore(_folder.Combine("repo"));
        await store.CreateAsync(ct);
        var name = TestObject.Random(ObjectKind.Pack, 1).Name;
        await store.SaveAsync(TestObject.Random(ObjectKind.Pack, 2).Name, ObjectContent.OnePass(new GeneratedStream(4 << 20)), ct); // warm up pools and JIT

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await store.SaveAsync(name, ObjectContent.OnePass(new GeneratedStream(ObjectSize)), ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        (await store.StatAsync(name, ct)).Size.Should().Be(ObjectSize);
        allocated.Should().BeLessThan(8 << 20, "a 64 MiB save goes through a pooled buffer, not a copy of the object");
    }
}
