using Cairn.Storage;

namespace Cairn.Repository;

/// <summary>How a <see cref="ReadSession"/> opens: its lock, and what it does with files that do not decrypt.</summary>
public sealed record ReadSessionOptions
{
    /// <summary>Whether to take the shared lock; false is restic's <c>--no-lock</c> (a read-only store, at the reader's own risk).</summary>
    public bool Lock { get; init; } = true;

    /// <summary>Like restic's <c>--retry-lock</c>: how long to keep trying while an exclusive lock is held.</summary>
    public TimeSpan RetryLockFor { get; init; } = TimeSpan.Zero;

    /// <summary>False for readers that need only snapshots (the snapshot list, a snapshot's JSON).</summary>
    public bool LoadIndex { get; init; } = true;

    /// <summary>
    /// Where a snapshot file that does not open is reported and skipped; null fails the read instead. Reported once,
    /// after the lock is held, however many lock attempts it took.
    /// </summary>
    public Action<Id, CorruptedDataException>? UnreadableSnapshot { get; init; }

    /// <summary>Where an index file that does not open is reported and left out (<see cref="ResticRepository.LoadIndexAsync(Action{ObjectName, CorruptedDataException}?, CancellationToken)"/>); null fails the read.</summary>
    public Action<ObjectName, CorruptedDataException>? UnreadableIndex { get; init; }
}
