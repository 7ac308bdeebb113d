namespace Cairn.Testing;

/// <summary>
/// The one clock tests set and move by hand (<see cref="Advance"/>, <see cref="Set"/>); timers still run on real
/// time, so a host's background work keeps going. For timers that must follow the clock, tests use
/// Microsoft's FakeTimeProvider; for delays that must not wait at all, <see cref="Storage.Testing.InstantTimeProvider"/>.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>The moment a clock made without one starts at.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private long _ticks = start.UtcTicks;

    public TestClock()
        : this(DefaultStart)
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public void Set(DateTimeOffset moment) => Interlocked.Exchange(ref _ticks, moment.UtcTicks);
}
