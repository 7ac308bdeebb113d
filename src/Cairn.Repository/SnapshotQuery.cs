using Cairn.Repository.Format;

namespace Cairn.Repository;

/// <summary>
/// Which snapshots a reader reads before the index (docs/format.md, "Ordering"): every one, the one a user named
/// (<c>latest</c> of a host and paths, or an ID prefix), or none.
/// </summary>
public abstract record SnapshotQuery
{
    private SnapshotQuery()
    {
    }

    /// <summary>No snapshot: for readers of blobs or packs by ID.</summary>
    public static SnapshotQuery None { get; } = new NoSnapshots();

    /// <summary>Every snapshot, oldest first (<see cref="SnapshotFinder.ListAsync(ResticRepository, Action{Id, CorruptedDataException}?, CancellationToken)"/>).</summary>
    public static SnapshotQuery All { get; } = new AllSnapshots();

    /// <summary>The one snapshot <paramref name="idOrLatest"/> names (<see cref="SnapshotFinder.FindAsync"/>).</summary>
    public static SnapshotQuery One(string idOrLatest, string? host = null, IReadOnlyList<string>? paths = null)
    {
        ArgumentNullException.ThrowIfNull(idOrLatest);
        return new OneSnapshot(idOrLatest, host, paths);
    }

    /// <summary>Reads the snapshots; <paramref name="unreadable"/> as the finder's (null: an unreadable file fails the read).</summary>
    internal abstract Task<IReadOnlyList<(Id Id, Snapshot Snapshot)>> ReadAsync(ResticRepository repository,
        Action<Id, CorruptedDataException>? unreadable, CancellationToken cancellationToken);

    private sealed record NoSnapshots : SnapshotQuery
    {
        internal override Task<IReadOnlyList<(Id Id, Snapshot Snapshot)>> ReadAsync(ResticRepository repository,
            Action<Id, CorruptedDataException>? unreadable, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(Id Id, Snapshot Snapshot)>>([]);
    }

    private sealed record AllSnapshots : SnapshotQuery
    {
        internal override async Task<IReadOnlyList<(Id Id, Snapshot Snapshot)>> ReadAsync(ResticRepository repository,
            Action<Id, CorruptedDataException>? unreadable, CancellationToken cancellationToken) =>
            await SnapshotFinder.ListAsync(repository, unreadable, cancellationToken).ConfigureAwait(false);
    }

    private sealed record OneSnapshot(string IdOrLatest, string? Host, IReadOnlyList<string>? Paths) : SnapshotQuery
    {
        internal override async Task<IReadOnlyList<(Id Id, Snapshot Snapshot)>> ReadAsync(ResticRepository repository,
            Action<Id, CorruptedDataException>? unreadable, CancellationToken cancellationToken) =>
            [await SnapshotFinder.FindAsync(repository, IdOrLatest, Host, Paths, cancellationToken, unreadable).ConfigureAwait(false)];
    }
}
