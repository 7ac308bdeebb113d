using Cairn.Storage;

namespace Cairn.Space.Backups.Stores;

/// <summary>Each task's repository in restic's on-disk layout at <c>{data}/repos/{instanceId}/{taskId}/</c>.</summary>
public sealed class LocalRepositoryStorage(SpaceSettings settings) : IRepositoryStorage
{
    public IObjectStore Open(Guid instanceId, Guid taskId) => new LocalObjectStore(PathOf(instanceId, taskId));

    public Task DeleteRepositoryAsync(Guid instanceId, Guid taskId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(instanceId, taskId);
        if (Directory.Exists(path))
        {
            // Saved objects are read-only files; the folders are ours, so removing them is allowed.
            Directory.Delete(path, recursive: true);
        }

        return Task.CompletedTask;
    }

    public Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // Made at the first upload otherwise; a folder that cannot be made (or is a file) is a store that is not there.
            Directory.CreateDirectory(settings.RepositoriesPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"the repositories folder {settings.RepositoriesPath} is not usable: {e.Message}", isTransient: true, e);
        }

        return Task.CompletedTask;
    }

    private string PathOf(Guid instanceId, Guid taskId)
        => Path.Combine(settings.RepositoriesPath, instanceId.ToString("N"), taskId.ToString("N"));
}
