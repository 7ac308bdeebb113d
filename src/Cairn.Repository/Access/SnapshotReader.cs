using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Repository.Access;

/// <summary>
/// Reads snapshot files of a repository opened with an <see cref="UnlockedKey"/>: the narrow way in for a caller
/// (Space) that must not load the index or walk trees. Disposing it disposes the store.
/// </summary>
public sealed class SnapshotReader : IAsyncDisposable
{
    private readonly ResticRepository _repository;

    private SnapshotReader(ResticRepository repository) => _repository = repository;

    /// <summary>
    /// Opens the repository in <paramref name="store"/> (its config only); null, with the store disposed, when the
    /// repository is not there, its config does not decrypt with the key, or the store fails.
    /// </summary>
    public static async Task<SnapshotReader?> TryOpenAsync(IObjectStore store, UnlockedKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            return new SnapshotReader(await ResticRepository.OpenWithKeyAsync(store, key.Master, key.KeyId, cancellationToken: cancellationToken)
                .ConfigureAwait(false));
        }
        catch (Exception e) when (e is RepositoryException or StorageException)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// The snapshot file <paramref name="snapshotId"/> (its full ID), or null when it does not decrypt or parse.
    /// Throws <see cref="ObjectNotFoundException"/> when it is gone.
    /// </summary>
    public async Task<SnapshotHeader?> TryReadAsync(string snapshotId, CancellationToken cancellationToken)
    {
        try
        {
            var snapshot = await _repository.LoadJsonAsync<Snapshot>(new ObjectName(ObjectKind.Snapshot, snapshotId), cancellationToken).ConfigureAwait(false);
            return new SnapshotHeader(snapshotId, snapshot.Time.ToDateTimeOffset(), snapshot.Hostname, snapshot.Tags ?? [], snapshot.Paths);
        }
        catch (CorruptedDataException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _repository.DisposeAsync();
}
