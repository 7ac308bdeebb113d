namespace Cairn.Platform;

/// <summary>
/// A point in time as the kernel keeps it: whole seconds since the Unix epoch (UTC, negative before 1970)
/// plus 0..999,999,999 nanoseconds. Unlike <see cref="DateTimeOffset"/> it does not round to 100 ns.
/// </summary>
public readonly record struct Timestamp(long Seconds, uint Nanoseconds) : IComparable<Timestamp>
{
    /// <summary>Nanoseconds in a second.</summary>
    public const uint NanosecondsPerSecond = 1_000_000_000;
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private const uint NanosecondsPerTick = 100;

    /// <summary>The nanoseconds past the second, below <see cref="NanosecondsPerSecond"/>.</summary>
    public uint Nanoseconds
    {
        get;
        init => field = value < NanosecondsPerSecond
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Nanoseconds), value, "must be below 1,000,000,000");
    } = Nanoseconds < NanosecondsPerSecond
        ? Nanoseconds
        : throw new ArgumentOutOfRangeException(nameof(Nanoseconds), Nanoseconds, "must be below 1,000,000,000");

    /// <summary>1970-01-01T00:00:00Z.</summary>
    public static Timestamp UnixEpoch => default;

    /// <summary>Exact: a DateTimeOffset has 100 ns resolution, which a Timestamp always holds.</summary>
    public static Timestamp FromDateTimeOffset(DateTimeOffset value)
    {
        long ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TicksPerSecond, out long rest);
        if (rest < 0)
        {
            seconds--;
            rest += TicksPerSecond;
        }
        return new Timestamp(seconds, (uint)rest * NanosecondsPerTick);
    }

    /// <summary>In UTC. Truncates to the 100 ns a DateTimeOffset can hold; keep the Timestamp where nanoseconds matter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The time is outside years 1 to 9999.</exception>
    public DateTimeOffset ToDateTimeOffset()
    {
        long maxSeconds = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerSecond;
        long minSeconds = (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerSecond;
        if (Seconds > maxSeconds || Seconds < minSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(Seconds), Seconds, "outside the range of DateTimeOffset");
        }
        long ticks = DateTimeOffset.UnixEpoch.UtcTicks + Seconds * TicksPerSecond + Nanoseconds / NanosecondsPerTick;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <inheritdoc/>
    public int CompareTo(Timestamp other)
    {
        int bySeconds = Seconds.CompareTo(other.Seconds);
        return bySeconds != 0 ? bySeconds : Nanoseconds.CompareTo(other.Nanoseconds);
    }

    /// <summary>Whether <paramref name="left"/> is earlier.</summary>
    public static bool operator <(Timestamp left, Timestamp right) => left.CompareTo(right) < 0;
    /// <summary>Whether <paramref name="left"/> is later.</summary>
    public static bool operator >(Timestamp left, Timestamp right) => left.CompareTo(right) > 0;
    /// <summary>Whether <paramref name="left"/> is not later.</summary>
    public static bool operator <=(Timestamp left, Timestamp right) => left.CompareTo(right) <= 0;
    /// <summary>Whether <paramref name="left"/> is not earlier.</summary>
    public static bool operator >=(Timestamp left, Timestamp right) => left.CompareTo(right) >= 0;

    /// <summary>RFC 3339 in UTC with all significant nanosecond digits, for messages and logs.</summary>
    public override string ToString() =>
        Seconds is >= GoTime.MinSeconds and <= GoTime.MaxSeconds
            ? GoTime.Format(this, TimeSpan.Zero)
            : $"{Seconds}.{Nanoseconds:D9}s since 1970";
}
