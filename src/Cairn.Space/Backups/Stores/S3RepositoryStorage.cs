using Cairn.Storage;

namespace Cairn.Space.Backups.Stores;

/// <summary>
/// Each task's repository in restic's S3 layout at <c>{prefix}/{instanceId}/{taskId}/</c> of one bucket, so
/// <c>restic -r s3:{endpoint}/{bucket}/{prefix}/{instanceId}/{taskId}</c> opens it directly. Shared by every
/// replica: write-once and usage counting are coordinated in the database (ObjectUpload, UsageRecorder), not here.
/// Reads and listings are retried when transient; uploads are not (the request body streams through once).
/// </summary>
public sealed class S3RepositoryStorage : IRepositoryStorage, IDisposable
{
    /// <summary>A few quick retries: restic behind Space retries too, and a request must not hang on a store that is down.</summary>
    private static readonly RetryOptions s_retries = new() { MaxAttempts = 3, MaxDelay = TimeSpan.FromSeconds(2) };

    private readonly S3Bucket _bucket;

    public S3RepositoryStorage(S3StoreOptions options) => _bucket = new S3Bucket(options);

    public string Location => _bucket.Location;

    public IObjectStore Open(Guid instanceId, Guid taskId) => new RetryingObjectStore(_bucket.OpenRepository(FolderOf(instanceId, taskId)), s_retries);

    public async Task DeleteRepositoryAsync(Guid instanceId, Guid taskId, CancellationToken cancellationToken)
        => await _bucket.DeleteFolderAsync(FolderOf(instanceId, taskId), cancellationToken).ConfigureAwait(false);

    public Task CheckReachableAsync(CancellationToken cancellationToken) => _bucket.CheckReachableAsync(cancellationToken);

    /// <summary>Makes the bucket if it is missing; called once at start.</summary>
    public Task EnsureBucketAsync(CancellationToken cancellationToken) => _bucket.EnsureExistsAsync(cancellationToken);

    public void Dispose() => _bucket.Dispose();

    /// <summary>The folder of a task under the bucket's prefix (IDs in the 32-digit form, as in the local layout).</summary>
    public static string FolderOf(Guid instanceId, Guid taskId) => $"{instanceId:N}/{taskId:N}";
}
