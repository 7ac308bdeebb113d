namespace Cairn.Storage;

/// <summary>
/// A store that writes temporary files of its own beside its objects (a save in progress, a staged pack) and can
/// remove those a crash left behind. Only files untouched for longer than a given age go: a live upload or staged
/// pack of another process is written to continuously, so its modification time stays fresh.
/// </summary>
internal interface ITemporarySweeping
{
    /// <summary>Deletes this store's temporary files last written before <paramref name="writtenBefore"/>.</summary>
    TemporarySweepResult SweepTemporaries(DateTimeOffset writtenBefore, CancellationToken cancellationToken = default);
}

/// <summary>How many leftover temporary files a sweep removed and how many bytes they held.</summary>
public readonly record struct TemporarySweepResult(int Files, long Bytes)
{
    /// <summary>The sum of two sweeps.</summary>
    public static TemporarySweepResult operator +(TemporarySweepResult a, TemporarySweepResult b) => new(a.Files + b.Files, a.Bytes + b.Bytes);
}

/// <summary>The age past which a temporary file is a crash's leftover (docs/reliability.md, "Sweeps").</summary>
public static class TemporarySweep
{
    /// <summary>An hour: far longer than any write pauses between two chunks of one upload or staged pack.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    /// <summary>Sweeps <paramref name="store"/> when it keeps temporary files; nothing otherwise (REST, memory).</summary>
    public static TemporarySweepResult SweepStale(IObjectStore store, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        return store is ITemporarySweeping sweeping
            ? sweeping.SweepTemporaries(clock.GetUtcNow() - StaleAfter, cancellationToken)
            : default;
    }
}
