using AwesomeAssertions;
using Xunit;

namespace Cairn.Storage.Testing;

public abstract partial class ObjectStoreConformanceTests
{
    [Fact]
    public async Task Saving_a_name_again_with_a_different_length_is_refused_and_keeps_the_first_bytes()
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Index, 500);
        await o.SaveToAsync(store, Ct);

        var overwrite = () => store.SaveAsync(o.Name, new byte[400], Ct);
        var overwriteFromStream = () => store.SaveAsync(o.Name, ObjectContent.OnePass(new GeneratedStream(600)), Ct);

        (await overwrite.Should().ThrowAsync<ObjectExistsException>()).Which.ObjectName.Should().Be(o.Name);
        await overwriteFromStream.Should().ThrowAsync<ObjectExistsException>();
        (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
        await AssertNoLeftoversAsync(store);
    }

    [Fact]
    public async Task Saving_the_same_bytes_again_succeeds()
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Pack, 2048);
        await o.SaveToAsync(store, Ct);

        await o.SaveToAsync(store, Ct);
        await store.SaveAsync(o.Name, ObjectContent.OnePass(new NonSeekableStream(o.Content)), Ct);

        (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
        (await ListAsync(store, ObjectKind.Pack)).Should().HaveCount(1);
        await AssertNoLeftoversAsync(store);
    }

    [Fact]
    public async Task Concurrent_saves_of_different_names_all_land()
    {
        var store = await NewStoreAsync();
        var objects = Enumerable.Range(0, 40).Select(i => TestObject.Random(i % 2 == 0 ? ObjectKind.Pack : ObjectKind.Lock, 1000 + i)).ToList();

        await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, (o, ct) => new ValueTask(o.SaveToAsync(store, ct)));

        foreach (var kind in new[] { ObjectKind.Pack, ObjectKind.Lock })
        {
            (await ListAsync(store, kind)).Should().BeEquivalentTo(
                objects.Where(o => o.Name.Kind == kind).ToDictionary(o => o.Name, o => (long)o.Content.Length));
        }

        foreach (var o in objects)
        {
            (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
        }
    }

    [Fact]
    public async Task Concurrent_saves_of_the_same_object_leave_one_whole_copy()
    {
        Assert.SkipWhen(ConcurrentSameObjectSavesUnsupported is not null, ConcurrentSameObjectSavesUnsupported ?? "");
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Pack, 256 * 1024);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => o.SaveToAsync(store, Ct), Ct)));

        (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
        (await ListAsync(store, ObjectKind.Pack)).Should().HaveCount(1);
        await AssertNoLeftoversAsync(store);
    }

    [Fact]
    public async Task A_save_whose_stream_breaks_part_way_leaves_nothing_behind()
    {
        var store = await NewStoreAsync();
        var name = TestObject.Random(ObjectKind.Pack, 1).Name;
        var broken = new GeneratedStream(4 << 20) { FailAfter = 1 << 20 };

        var save = () => store.SaveAsync(name, ObjectContent.OnePass(broken), Ct);

        await save.Should().ThrowAsync<Exception>();
        await AssertNothingBehindOrSavesAgainAsync(store, name);
    }

    [Fact]
    public async Task A_save_cancelled_part_way_leaves_nothing_behind()
    {
        var store = await NewStoreAsync();
        var name = TestObject.Random(ObjectKind.Snapshot, 1).Name;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var stream = new GeneratedStream(4 << 20) { OnProgress = (1 << 20, cts.Cancel) };

        var save = () => store.SaveAsync(name, ObjectContent.OnePass(stream), cts.Token);

        await save.Should().ThrowAsync<OperationCanceledException>();
        await AssertNothingBehindOrSavesAgainAsync(store, name);
    }

    private async Task AssertNothingBehindOrSavesAgainAsync(IObjectStore store, ObjectName name)
    {
        if (AbandonedUploadsMayLinger is null)
        {
            await FluentActions.Awaiting(() => store.StatAsync(name, Ct)).Should().ThrowAsync<ObjectNotFoundException>();
            await AssertEmptyAsync(store);
            await AssertNoLeftoversAsync(store);
            return;
        }

        // The server may keep debris of the failed upload; what matters above is that saving again succeeds whole.
        // Such a server may also still be busy with the broken upload and answer the next one with a 5xx (rclone
        // did, under load), so the save again goes through the retries every real client has (a seekable stream: a
        // retry rewinds it).
        var retrying = new RetryingObjectStore(store, new RetryOptions { InitialDelay = TimeSpan.FromMilliseconds(100) });
        await retrying.SaveAsync(name, ObjectContent.FromSeekable(new MemoryStream(GeneratedStream.Expected(3 << 20, seed: 5), writable: false)), Ct);
        (await store.ReadAllAsync(name, Ct)).Should().Equal(GeneratedStream.Expected(3 << 20, seed: 5));
        (await ListAsync(store, name.Kind)).Should().Equal(new Dictionary<ObjectName, long> { [name] = 3 << 20 });
    }

    [Fact]
    public async Task Operations_with_a_cancelled_token_throw_operation_cancelled()
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Key, 100);
        await o.SaveToAsync(store, Ct);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => store.SaveAsync(TestObject.Random(ObjectKind.Key, 5).Name, new byte[5], cts.Token)).Should().ThrowAsync<OperationCanceledException>();
        await FluentActions.Awaiting(() => store.StatAsync(o.Name, cts.Token)).Should().ThrowAsync<OperationCanceledException>();
        await FluentActions.Awaiting(() => store.ReadAtAsync(o.Name, 0, new byte[10], cts.Token)).Should().ThrowAsync<OperationCanceledException>();
        await FluentActions.Awaiting(() => store.ListAllAsync(ObjectKind.Key, cts.Token)).Should().ThrowAsync<OperationCanceledException>();
        await FluentActions.Awaiting(() => store.DeleteAsync(o.Name, cts.Token)).Should().ThrowAsync<OperationCanceledException>();
        (await ListAsync(store, ObjectKind.Key)).Keys.Should().Equal(o.Name);
    }

    [Fact]
    public async Task Listing_ignores_what_is_not_an_object()
    {
        var store = await NewStoreAsync();
        var pack = TestObject.Random(ObjectKind.Pack, 100);
        var key = TestObject.Random(ObjectKind.Key, 100);
        await pack.SaveToAsync(store, Ct);
        await key.SaveToAsync(store, Ct);

        await PlantJunkAsync(store);

        (await ListAsync(store, ObjectKind.Pack)).Keys.Should().Equal(pack.Name);
        (await ListAsync(store, ObjectKind.Key)).Keys.Should().Equal(key.Name);
        foreach (var kind in new[] { ObjectKind.Lock, ObjectKind.Snapshot, ObjectKind.Index, ObjectKind.Config })
        {
            (await ListAsync(store, kind)).Should().BeEmpty();
        }
    }
}
