using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests;

/// <summary>The throttle's arithmetic on a clock the test moves: no real waiting, no timing to race.</summary>
public sealed class TokenBucketTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_second_of_tokens_is_free_and_every_byte_past_it_costs_its_share_of_a_second()
    {
        var clock = new SteppingClock();
        var bucket = new TokenBucket(1000, clock);

        bucket.Take(1000).Should().Be(TimeSpan.Zero, "the bucket starts with one second's worth");
        bucket.Take(500).Should().Be(TimeSpan.FromSeconds(0.5));
        bucket.Take(500).Should().Be(TimeSpan.FromSeconds(1), "debts add up, so concurrent takers share the rate");
    }

    [Fact]
    public void Tokens_come_back_with_time_but_never_more_than_a_second_of_them()
    {
        var clock = new SteppingClock();
        var bucket = new TokenBucket(1000, clock);
        bucket.Take(1000);

        clock.Advance(TimeSpan.FromSeconds(0.25));
        bucket.Take(250).Should().Be(TimeSpan.Zero);
        clock.Advance(TimeSpan.FromHours(1));
        bucket.Take(1000).Should().Be(TimeSpan.Zero);
        bucket.Take(1).Should().BeGreaterThan(TimeSpan.Zero, "an idle hour saves up one second's worth, not an hour's");
    }

    [Fact]
    public async Task A_throttled_upload_of_ten_seconds_worth_waits_nine_seconds_of_the_clock_in_total()
    {
        var clock = new SteppingClock();
        var store = ThrottledObjectStore.Wrap(new InMemoryObjectStore(), uploadBytesPerSecond: 100 * 1024, downloadBytesPerSecond: null, clock);
        var content = new byte[1000 * 1024];
        Random.Shared.NextBytes(content);

        await store.SaveAsync(new ObjectName(ObjectKind.Pack, new string('a', 64)), content, Ct);

        clock.Waited.TotalSeconds.Should().BeApproximately(9, 0.01, "one second's worth is free and the other 900 KiB go at 100 KiB/s");
        var back = new byte[content.Length];
        await store.ReadAtAsync(new ObjectName(ObjectKind.Pack, new string('a', 64)), 0, back, Ct);
        back.Should().Equal(content);
        clock.Waited.TotalSeconds.Should().BeApproximately(9, 0.01, "downloads are not limited here");
    }

    [Fact]
    public async Task A_throttled_download_waits_on_its_own_bucket()
    {
        var clock = new SteppingClock();
        var inner = new InMemoryObjectStore();
        var name = new ObjectName(ObjectKind.Pack, new string('b', 64));
        await inner.SaveAsync(name, ObjectContent.FromSeekable(new MemoryStream(new byte[300 * 1024])), Ct);
        var store = ThrottledObjectStore.Wrap(inner, uploadBytesPerSecond: null, downloadBytesPerSecond: 100 * 1024, clock);

        await store.ReadAtAsync(name, 0, new byte[300 * 1024], Ct);

        clock.Waited.TotalSeconds.Should().BeApproximately(2, 0.01);
    }

    [Fact]
    public async Task Ranged_and_sized_opens_are_throttled_for_the_bytes_they_stream()
    {
        var clock = new SteppingClock();
        var inner = new InMemoryObjectStore();
        var name = new ObjectName(ObjectKind.Pack, new string('c', 64));
        await inner.SaveAsync(name, ObjectContent.FromSeekable(new MemoryStream(new byte[400 * 1024])), Ct);
        var store = ThrottledObjectStore.Wrap(inner, uploadBytesPerSecond: null, downloadBytesPerSecond: 100 * 1024, clock);

        await using (var ranged = await store.OpenReadAsync(name, 0, 200 * 1024, Ct))
        {
            await ranged.CopyToAsync(Stream.Null, Ct);
        }

        var read = await store.OpenWithSizeAsync(name, 200 * 1024, null, Ct);
        await using (read.Body)
        {
            await read.Body.CopyToAsync(Stream.Null, Ct);
        }

        read.ObjectSize.Should().Be(400 * 1024);
        clock.Waited.TotalSeconds.Should().BeApproximately(3, 0.05, "400 KiB at 100 KiB/s, less the first second's burst");
    }

    [Fact]
    public void Without_a_limit_the_store_is_not_wrapped()
    {
        var inner = new InMemoryObjectStore();
        ThrottledObjectStore.Wrap(inner, null, null).Should().BeSameAs(inner);
    }

    /// <summary>A clock that stands still until a timer is asked for, then jumps ahead by its due time and fires it.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _ticks;

        public TimeSpan Waited => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                Advance(dueTime);
                ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
            }

            return new FiredTimer();
        }

        private sealed class FiredTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}

/// <summary>The throttle keeps the contract of the store it wraps (limits high enough not to slow the suite).</summary>
public sealed class ThrottledObjectStoreConformanceTests : ObjectStoreConformanceTests
{
    protected override Task<IObjectStore> CreateEmptyStoreAsync() =>
        Task.FromResult(ThrottledObjectStore.Wrap(new InMemoryObjectStore(), 1L << 30, 1L << 30));
}
