using Cairn.Storage;

namespace Cairn.Space.Backups.Stores;

/// <summary>
/// Where the repositories of backup tasks live. The seam for other stores (S3 later): everything above it speaks
/// <see cref="IObjectStore"/> only. Repositories are keyed by IDs, never by names, so renames and reused names
/// cannot reach another task's bytes.
/// </summary>
public interface IRepositoryStorage
{
    /// <summary>Opens one task's repository; the caller disposes it.</summary>
    IObjectStore Open(Guid instanceId, Guid taskId);

    /// <summary>Removes one task's repository and every object in it; nothing when it does not exist.</summary>
    Task DeleteRepositoryAsync(Guid instanceId, Guid taskId, CancellationToken cancellationToken);

    /// <summary>
    /// Throws <see cref="StorageException"/> (with what failed) unless the store answers now: the readiness check of
    /// load balancers. Cheap enough to run every few seconds.
    /// </summary>
    Task CheckReachableAsync(CancellationToken cancellationToken);
}
