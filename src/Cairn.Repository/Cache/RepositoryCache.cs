using Cairn.Storage;

namespace Cairn.Repository.Cache;

/// <summary>Puts a repository's local cache in front of its store, once the config has named the repository.</summary>
internal static class RepositoryCache
{
    /// <summary>
    /// The store with the cache in front; the store alone when no cache is asked for, when the repository's ID could
    /// not be a folder name (a hostile config), or when the cache folder cannot be made (restic then runs without one too).
    /// </summary>
    public static IObjectStore Wrap(IObjectStore store, string repositoryId, RepositoryCacheOptions? options, Func<ObjectName, bool> cachesPack)
    {
        if (options is null || !CacheFolders.IsRepositoryId(repositoryId))
        {
            return store;
        }

        string folder;
        try
        {
            folder = new CacheFolders(options.Root, options.Time).Prepare(repositoryId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return store;
        }

        return new CachingObjectStore(store, new CacheDirectory(folder, options.MaxSize, options.Time), cachesPack);
    }
}
