using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests;

public sealed class RetryingObjectStoreTests
{
    private readonly InMemoryObjectStore _inner = new();
    private readonly FaultInjectingObjectStore _faulty;
    private readonly InstantTimeProvider _time = new();
    private readonly List<RetryAttempt> _retries = [];
    private readonly RetryingObjectStore _store;

    public RetryingObjectStoreTests()
    {
        _faulty = new FaultInjectingObjectStore(_inner);
        var options = new RetryOptions { MaxAttempts = 4, InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(3), OnRetry = r => _retries.Add(r) };
        _store = new RetryingObjectStore(_faulty, options, _time, new Random(42));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Transient_failures_are_retried_with_growing_jittered_delays_until_the_call_succeeds()
    {
        var o = TestObject.Random(ObjectKind.Pack, 100);
        await o.SaveToAsync(_inner, Ct);
        _faulty.Inject(StoreOperation.Stat, StoreFault.Transient(), times: 3);

        var info = await _store.StatAsync(o.Name, Ct);

        info.Size.Should().Be(100);
        _faulty.Calls(StoreOperation.Stat).Should().Be(4);
        _time.Delays.Should().HaveCount(3);
        _time.Delays[0].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.5)).And.BeLessThan(TimeSpan.FromSeconds(1));
        _time.Delays[1].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1)).And.BeLessThan(TimeSpan.FromSeconds(2));
        _time.Delays[2].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.5)).And.BeLessThan(TimeSpan.FromSeconds(3), "capped at MaxDelay");
        _retries.Select(r => r.Attempt).Should().Equal(2, 3, 4);
        _retries.Should().AllSatisfy(r => r.Operation.Should().Be("stat"));
    }

    [Fact]
    public async Task It_gives_up_after_the_last_attempt_with_the_last_error()
    {
        var o = TestObject.Random(ObjectKind.Index, 10);
        await o.SaveToAsync(_inner, Ct);
        _faulty.InjectAlways(StoreOperation.Read, StoreFault.Transient("still down"));

        var read = () => _store.ReadAllAsync(o.Name, Ct);

        (await read.Should().ThrowAsync<StorageException>()).Which.Message.Should().Be("still down");
        _faulty.Calls(StoreOperation.Read).Should().Be(4);
    }

    [Theory]
    [InlineData("io")]
    [InlineData("http")]
    [InlineData("timeout")]
    public async Task Network_and_io_errors_count_as_transient(string error)
    {
        var o = TestObject.Random(ObjectKind.Key, 10);
        await o.SaveToAsync(_inner, Ct);
        Func<Exception> make = error switch
        {
            "io" => () => new IOException("connection reset"),
            "http" => () => new HttpRequestException("connection refused"),
            _ => () => new TaskCanceledException("timed out", new TimeoutException()),
        };
        _faulty.Inject(StoreOperation.Delete, StoreFault.Throw(make));

        await _store.DeleteAsync(o.Name, Ct);

        _faulty.Calls(StoreOperation.Delete).Should().Be(2);
        _inner.Count.Should().Be(0);
    }

    [Fact]
    public async Task Not_found_exists_refused_and_permanent_errors_are_never_retried()
    {
        var o = TestObject.Random(ObjectKind.Snapshot, 10);
        await o.SaveToAsync(_inner, Ct);
        var missing = TestObject.Random(ObjectKind.Snapshot, 10).Name;

        await FluentActions.Awaiting(() => _store.StatAsync(missing, Ct)).Should().ThrowAsync<ObjectNotFoundException>();
        await FluentActions.Awaiting(() => _store.SaveAsync(o.Name, new byte[3], Ct)).Should().ThrowAsync<ObjectExistsException>();
        _faulty.Inject(StoreOperation.Delete, StoreFault.Throw(() => new StorageRefusedException("append-only", 403)));
        await FluentActions.Awaiting(() => _store.DeleteAsync(o.Name, Ct)).Should().ThrowAsync<StorageRefusedException>();
        _faulty.Inject(StoreOperation.Read, StoreFault.Permanent());
        await FluentActions.Awaiting(() => _store.ReadAllAsync(o.Name, Ct)).Should().ThrowAsync<StorageException>();

        _faulty.Calls(StoreOperation.Stat).Should().Be(2, "one stat for the missing object, one inside ReadAllAsync");
        _faulty.Calls(StoreOperation.Save).Should().Be(1);
        _faulty.Calls(StoreOperation.Delete).Should().Be(1);
        _faulty.Calls(StoreOperation.Read).Should().Be(1);
        _time.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task An_interrupted_save_is_sent_again_from_the_start_of_its_stream()
    {
        var o = TestObject.Random(ObjectKind.Pack, 10_000);
        _faulty.Inject(StoreOperation.Save, StoreFault.InterruptSave(afterBytes: 4_000), times: 2);
        var stream = new MemoryStream([.. new byte[7], .. o.Content]) { Position = 7 };

        await _store.SaveAsync(o.Name, ObjectContent.FromSeekable(stream), Ct);

        (await _inner.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
        _faulty.Calls(StoreOperation.Save).Should().Be(3);
    }

    [Fact]
    public async Task A_save_from_a_stream_that_cannot_rewind_is_tried_once()
    {
        var o = TestObject.Random(ObjectKind.Pack, 1000);
        _faulty.Inject(StoreOperation.Save, StoreFault.Transient());

        var save = () => _store.SaveAsync(o.Name, ObjectContent.OnePass(new NonSeekableStream(o.Content)), Ct);

        await save.Should().ThrowAsync<StorageException>();
        _faulty.Calls(StoreOperation.Save).Should().Be(1);
        _inner.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_save_or_delete_whose_answer_was_lost_succeeds_on_retry()
    {
        var o = TestObject.Random(ObjectKind.Lock, 100);
        _faulty.Inject(StoreOperation.Save, StoreFault.TransientAfterCompletion());
        _faulty.Inject(StoreOperation.Delete, StoreFault.TransientAfterCompletion());

        await o.SaveToAsync(_store, Ct);
        (await _inner.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
        await _store.DeleteAsync(o.Name, Ct);

        _inner.Count.Should().Be(0);
        _faulty.Calls(StoreOperation.Save).Should().Be(2);
        _faulty.Calls(StoreOperation.Delete).Should().Be(2);
    }

    [Fact]
    public async Task A_listing_that_breaks_is_listed_again_without_repeating_names()
    {
        var objects = Enumerable.Range(0, 5).Select(_ => TestObject.Random(ObjectKind.Index, 10)).ToList();
        foreach (var o in objects)
        {
            await o.SaveToAsync(_inner, Ct);
        }

        _faulty.Inject(StoreOperation.List, StoreFault.TransientAfterCompletion());

        var listed = await _store.ListAllAsync(ObjectKind.Index, Ct);

        listed.Select(i => i.Name).Should().BeEquivalentTo(objects.Select(o => o.Name));
        _faulty.Calls(StoreOperation.List).Should().Be(2);
    }

    [Fact]
    public async Task Cancelling_during_a_backoff_stops_at_once()
    {
        var store = new RetryingObjectStore(_faulty, new RetryOptions { InitialDelay = TimeSpan.FromHours(1) });
        _faulty.InjectAlways(StoreOperation.Stat, StoreFault.Transient());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(100));

        var stat = () => store.StatAsync(ObjectName.Config, cts.Token);

        await stat.Should().ThrowAsync<OperationCanceledException>();
        _faulty.Calls(StoreOperation.Stat).Should().Be(1);
    }

    [Fact]
    public void Delays_double_from_the_initial_delay_and_are_capped()
    {
        var options = new RetryOptions { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(10) };

        options.DelayBefore(1, 0.999999).Should().BeCloseTo(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1));
        options.DelayBefore(3, 0).Should().Be(TimeSpan.FromSeconds(2));
        options.DelayBefore(4, 0.999999).Should().BeCloseTo(TimeSpan.FromSeconds(8), TimeSpan.FromMilliseconds(1));
        options.DelayBefore(50, 0.999999).Should().BeCloseTo(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1));
    }
}
