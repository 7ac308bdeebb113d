namespace Cairn.Space.Tests.Infrastructure;

/// <summary>A clock the tests move by hand; timers still run on real time (the usage monitor is off in tests).</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public void Set(DateTimeOffset moment) => Interlocked.Exchange(ref _ticks, moment.UtcTicks);
}
