using Cairn.Storage.Testing;
using Cairn.Testing.Trees;

namespace Cairn.Storage.Tests.S3;

/// <summary>An S3 save never holds a whole object in memory: at most one part from a stream that cannot seek, none from one that can.</summary>
/// <remarks>Alone in the bounded-memory collection, so no other test's allocations are counted.</remarks>
[Collection(nameof(BoundedMemoryTests))]
public sealed class S3BoundedMemoryTests
{
    private const long ObjectSize = 64L << 20;

    [Fact]
    public async Task A_multipart_save_from_a_stream_holds_at_most_about_one_part()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = new S3ObjectStore(TestRgw.Options(TestRgw.NewLocation(TestRgwBucket.Store), partSize: 8 << 20));
        await store.CreateAsync(ct);
        await store.SaveAsync(TestObject.Random(ObjectKind.Pack, 2).Name, ObjectContent.OnePass(new GeneratedStream(20 << 20)), ct); // warm up pools, JIT and connections
        var name = TestObject.Random(ObjectKind.Pack, 1).Name;

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await store.SaveAsync(name, ObjectContent.OnePass(new GeneratedStream(ObjectSize)), ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        (await store.StatAsync(name, ct)).Size.Should().Be(ObjectSize);
        // Measured about 5 MB (the part buffer comes from the pool, warmed up above). A copy of the object would be 64 MiB.
        allocated.Should().BeLessThan(16 << 20, "a 64 MiB save in 8 MiB parts reuses one pooled part buffer");
    }

    [Fact]
    public async Task A_multipart_save_from_a_seekable_stream_copies_nothing_into_memory()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new Scratch();
        var path = folder.Combine("object");
        await using (var file = File.Create(path))
        {
            await new GeneratedStream(ObjectSize).CopyToAsync(file, ct);
        }

        await using var store = new S3ObjectStore(TestRgw.Options(TestRgw.NewLocation(TestRgwBucket.Store), partSize: 8 << 20));
        await store.CreateAsync(ct);
        await using (var warmUp = File.OpenRead(path))
        {
            await store.SaveAsync(TestObject.Random(ObjectKind.Pack, 2).Name, ObjectContent.FromSeekable(warmUp), ct);
        }

        var name = TestObject.Random(ObjectKind.Pack, 1).Name;
        await using var source = File.OpenRead(path);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await store.SaveAsync(name, ObjectContent.FromSeekable(source), ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        (await store.StatAsync(name, ct)).Size.Should().Be(ObjectSize);
        source.Position.Should().Be(ObjectSize);
        // Measured about 7 MB: the client's own transfer buffers. A copy of the object would be 64 MiB.
        allocated.Should().BeLessThan(16 << 20, "parts are read from the file in place, not copied into memory");
    }
}
