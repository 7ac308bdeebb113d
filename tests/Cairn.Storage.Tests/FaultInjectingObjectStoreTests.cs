using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests;

public sealed class FaultInjectingObjectStoreTests
{
    private readonly InMemoryObjectStore _inner = new();
    private readonly FaultInjectingObjectStore _store;

    public FaultInjectingObjectStoreTests() => _store = new FaultInjectingObjectStore(_inner);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_nth_save_fails_transiently_and_the_others_pass()
    {
        _store.Inject(StoreOperation.Save, StoreFault.Transient(), firstCall: 2);
        var objects = Enumerable.Range(0, 3).Select(_ => TestObject.Random(ObjectKind.Pack, 10)).ToList();

        await objects[0].SaveToAsync(_store, Ct);
        var second = () => objects[1].SaveToAsync(_store, Ct);
        (await second.Should().ThrowAsync<StorageException>()).Which.IsTransient.Should().BeTrue();
        await objects[2].SaveToAsync(_store, Ct);

        _inner.Count.Should().Be(2);
        (await _inner.ExistsAsync(objects[1].Name, Ct)).Should().BeFalse();
        _store.Calls(StoreOperation.Save).Should().Be(3);
    }

    [Fact]
    public async Task A_permanent_fault_can_be_limited_to_one_kind_and_repeated()
    {
        var rule = _store.Inject(StoreOperation.Read, StoreFault.Permanent(), times: 2, kind: ObjectKind.Index);
        var index = TestObject.Random(ObjectKind.Index, 10);
        var pack = TestObject.Random(ObjectKind.Pack, 10);
        await index.SaveToAsync(_store, Ct);
        await pack.SaveToAsync(_store, Ct);

        (await _store.ReadAllAsync(pack.Name, Ct)).Should().Equal(pack.Content);
        for (var i = 0; i < 2; i++)
        {
            var read = () => _store.ReadAllAsync(index.Name, Ct);
            (await read.Should().ThrowAsync<StorageException>()).Which.IsTransient.Should().BeFalse();
        }

        (await _store.ReadAllAsync(index.Name, Ct)).Should().Equal(index.Content);
        rule.Fired.Should().Be(2);
    }

    [Fact]
    public async Task An_interrupted_save_reaches_the_store_which_keeps_nothing()
    {
        _store.Inject(StoreOperation.Save, StoreFault.InterruptSave(afterBytes: 100));
        var o = TestObject.Random(ObjectKind.Pack, 1000);

        var save = () => o.SaveToAsync(_store, Ct);

        (await save.Should().ThrowAsync<StorageException>()).Which.IsTransient.Should().BeTrue();
        _inner.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_truncating_save_silently_keeps_the_first_bytes()
    {
        _store.Inject(StoreOperation.Save, StoreFault.TruncateSave(keepBytes: 100));
        var o = TestObject.Random(ObjectKind.Pack, 1000);

        await o.SaveToAsync(_store, Ct);

        (await _inner.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content[..100]);
    }

    [Fact]
    public async Task A_flipped_byte_shows_in_the_read_that_covers_it_only()
    {
        var o = TestObject.Random(ObjectKind.Pack, 1000);
        await o.SaveToAsync(_store, Ct);
        _store.Inject(StoreOperation.Read, StoreFault.FlipByte(500), times: 2);
        _store.Inject(StoreOperation.OpenRead, StoreFault.FlipByte(3));

        var before = new byte[100];
        await _store.ReadAtAsync(o.Name, 0, before, Ct);
        var covering = new byte[100];
        await _store.ReadAtAsync(o.Name, 450, covering, Ct);
        await using var stream = await _store.OpenReadAsync(o.Name, Ct);
        using var whole = new MemoryStream();
        await stream.CopyToAsync(whole, Ct);

        before.Should().Equal(o.Content[..100]);
        covering[50].Should().Be((byte)(o.Content[500] ^ 0xFF));
        covering.Where((_, i) => i != 50).Should().Equal(o.Content[450..550].Where((_, i) => i != 50));
        whole.ToArray()[3].Should().Be((byte)(o.Content[3] ^ 0xFF));
        (await _store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content, "the rules fired their number of times");
    }

    [Fact]
    public async Task A_failure_after_completion_reports_an_error_for_a_save_that_happened()
    {
        _store.Inject(StoreOperation.Save, StoreFault.TransientAfterCompletion());
        var o = TestObject.Random(ObjectKind.Lock, 10);

        var save = () => o.SaveToAsync(_store, Ct);

        await save.Should().ThrowAsync<StorageException>();
        (await _inner.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
    }

    [Fact]
    public async Task Listing_and_delete_faults_throw_the_given_exception()
    {
        var o = TestObject.Random(ObjectKind.Key, 10);
        await o.SaveToAsync(_store, Ct);
        _store.Inject(StoreOperation.List, StoreFault.Throw(() => new IOException("disk gone")));
        _store.Inject(StoreOperation.Delete, StoreFault.Transient());

        await FluentActions.Awaiting(() => _store.ListAllAsync(ObjectKind.Key, Ct)).Should().ThrowAsync<IOException>();
        await FluentActions.Awaiting(() => _store.DeleteAsync(o.Name, Ct)).Should().ThrowAsync<StorageException>();
        (await _store.ListAllAsync(ObjectKind.Key, Ct)).Should().ContainSingle();
        _store.ClearFaults();
        await _store.DeleteAsync(o.Name, Ct);
        _inner.Count.Should().Be(0);
    }
}
