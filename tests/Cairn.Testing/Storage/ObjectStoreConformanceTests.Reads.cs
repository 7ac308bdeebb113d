using System.Security.Cryptography;
using AwesomeAssertions;
using Xunit;

namespace Cairn.Storage.Testing;

public abstract partial class ObjectStoreConformanceTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 1000)]
    [InlineData(1, 998)]
    [InlineData(500, 500)]
    [InlineData(999, 1)]
    [InlineData(1000, 0)]
    [InlineData(123, 0)]
    public async Task Ranges_read_exactly_the_bytes_asked_for(int offset, int length)
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Pack, 1000);
        await o.SaveToAsync(store, Ct);
        var buffer = new byte[length];

        await store.ReadAtAsync(o.Name, offset, buffer, Ct);

        buffer.Should().Equal(o.Content.AsSpan(offset, length).ToArray());
    }

    [Fact]
    public async Task Reading_the_same_range_twice_gives_the_same_bytes()
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Index, 4096);
        await o.SaveToAsync(store, Ct);
        var first = new byte[1000];
        var second = new byte[1000];

        await store.ReadAtAsync(o.Name, 17, first, Ct);
        await store.ReadAtAsync(o.Name, 17, second, Ct);

        second.Should().Equal(first).And.Equal(o.Content.AsSpan(17, 1000).ToArray());
    }

    [Theory]
    [InlineData(0, 101)]
    [InlineData(50, 51)]
    [InlineData(100, 1)]
    [InlineData(101, 0)]
    [InlineData(5000, 10)]
    public async Task Reading_past_the_end_fails_without_claiming_the_object_is_missing(int offset, int length)
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Pack, 100);
        await o.SaveToAsync(store, Ct);

        var read = () => store.ReadAtAsync(o.Name, offset, new byte[length], Ct);

        var thrown = await read.Should().ThrowAsync<StorageException>();
        thrown.Which.Should().NotBeOfType<ObjectNotFoundException>();
    }

    [Fact]
    public async Task Open_read_streams_the_whole_object()
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Pack, 300_000);
        await o.SaveToAsync(store, Ct);

        await using var stream = await store.OpenReadAsync(o.Name, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);

        copy.ToArray().Should().Equal(o.Content);
    }

    [Theory]
    [InlineData(0, 300_000)]
    [InlineData(0, 1)]
    [InlineData(123_456, 70_000)]
    [InlineData(299_999, 1)]
    public async Task Open_read_of_a_range_streams_exactly_that_range(int offset, int length)
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Pack, 300_000);
        await o.SaveToAsync(store, Ct);

        await using var stream = await store.OpenReadAsync(o.Name, offset, length, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);

        copy.ToArray().Should().Equal(o.Content.AsSpan(offset, length).ToArray());
    }

    [Theory]
    [InlineData(299_000, 5000)]
    [InlineData(300_000, 10)]
    public async Task Open_read_of_a_range_past_the_end_ends_with_the_object(int offset, int length)
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Pack, 300_000);
        await o.SaveToAsync(store, Ct);

        await using var stream = await store.OpenReadAsync(o.Name, offset, length, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);

        copy.ToArray().Should().Equal(o.Content.AsSpan(offset).ToArray());
    }

    [Fact]
    public async Task Open_read_of_a_range_of_a_missing_object_is_not_found()
    {
        var store = await NewStoreAsync();
        var missing = TestObject.Random(ObjectKind.Pack, 10).Name;

        await FluentActions.Awaiting(() => store.OpenReadAsync(missing, 0, 10, Ct)).Should().ThrowAsync<ObjectNotFoundException>();
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(0, 300_000)]
    [InlineData(123_456, 70_000)]
    [InlineData(123_456, null)]
    [InlineData(299_000, 5000)]
    [InlineData(299_999, 1)]
    public async Task Open_with_size_streams_the_range_and_tells_the_whole_size(int offset, int? length)
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Pack, 300_000);
        await o.SaveToAsync(store, Ct);

        var read = await store.OpenWithSizeAsync(o.Name, offset, length, Ct);
        await using var body = read.Body;
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, Ct);

        read.ObjectSize.Should().Be(300_000);
        var end = Math.Min(offset + (length ?? 300_000), 300_000);
        copy.ToArray().Should().Equal(o.Content.AsSpan(offset, end - offset).ToArray());
    }

    [Theory]
    [InlineData(300_000, 10)]
    [InlineData(400_000, null)]
    public async Task Open_with_size_at_or_past_the_end_is_empty_with_the_size(int offset, int? length)
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Pack, 300_000);
        await o.SaveToAsync(store, Ct);

        var read = await store.OpenWithSizeAsync(o.Name, offset, length, Ct);
        await using var body = read.Body;

        read.ObjectSize.Should().Be(300_000);
        (await body.ReadAsync(new byte[16], Ct)).Should().Be(0);
    }

    [Fact]
    public async Task Open_with_size_of_an_empty_object_is_empty()
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Lock, 0);
        await o.SaveToAsync(store, Ct);

        foreach (var (offset, length) in new[] { (0L, (long?)null), (0L, 10L) })
        {
            var read = await store.OpenWithSizeAsync(o.Name, offset, length, Ct);
            await using var body = read.Body;
            read.ObjectSize.Should().Be(0);
            (await body.ReadAsync(new byte[16], Ct)).Should().Be(0);
        }
    }

    [Fact]
    public async Task Open_with_size_of_a_missing_object_is_not_found()
    {
        var store = await NewStoreAsync();
        var missing = TestObject.Random(ObjectKind.Pack, 10).Name;

        await FluentActions.Awaiting(() => store.OpenWithSizeAsync(missing, 0, null, Ct)).Should().ThrowAsync<ObjectNotFoundException>();
        await FluentActions.Awaiting(() => store.OpenWithSizeAsync(missing, 5, 10, Ct)).Should().ThrowAsync<ObjectNotFoundException>();
    }

    [Fact]
    public async Task A_large_object_streams_in_and_out()
    {
        const int size = 20 << 20;
        var store = await NewStoreAsync();
        var expected = GeneratedStream.Expected(size, seed: 7);
        var name = new ObjectName(ObjectKind.Pack, Convert.ToHexStringLower(SHA256.HashData(expected)));

        await store.SaveAsync(name, ObjectContent.OnePass(new GeneratedStream(size, seed: 7)), Ct);

        (await store.StatAsync(name, Ct)).Size.Should().Be(size);
        (await ListAsync(store, ObjectKind.Pack)).Should().ContainKey(name).WhoseValue.Should().Be(size);
        await using (var stream = await store.OpenReadAsync(name, Ct))
        {
            (await SHA256.HashDataAsync(stream, Ct)).Should().Equal(SHA256.HashData(expected));
        }

        var tail = new byte[1 << 20];
        await store.ReadAtAsync(name, size - tail.Length, tail, Ct);
        tail.Should().Equal(expected.AsSpan(size - tail.Length).ToArray());
    }

    [Fact]
    public async Task Saving_from_a_stream_starts_at_its_current_position_and_leaves_it_open()
    {
        var store = await NewStoreAsync();
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var o = TestObject.Named(ObjectKind.Snapshot, bytes[200..]);
        var stream = new MemoryStream(bytes) { Position = 200 };

        await store.SaveAsync(o.Name, ObjectContent.FromSeekable(stream), Ct);

        (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
        stream.CanRead.Should().BeTrue("the caller owns the stream and may rewind it for a retry");
        stream.Position.Should().Be(1000);
    }
}
