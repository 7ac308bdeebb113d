using System.CommandLine;
using Cairn.Repository.Cache;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>restic's cache flags (and cairn's size bound): where the local cache of a remote repository lives, and whether to use it.</summary>
internal static class CacheFlags
{
    public static readonly Option<bool> NoCache = new("--no-cache")
    {
        Description = "do not use a local cache",
        Recursive = true,
    };

    public static readonly Option<string?> CacheDir = new("--cache-dir")
    {
        Description = "set the cache directory (default: $CAIRN_CACHE_DIR, else $XDG_CACHE_HOME/cairn or ~/.cache/cairn)",
        Recursive = true,
    };

    public static readonly Option<bool> CleanupCache = new("--cleanup-cache")
    {
        Description = "auto remove old cache directories",
        Recursive = true,
    };

    public static readonly Option<string?> CacheMaxSize = new("--cache-max-size")
    {
        Description = "bound on one repository's cache, least recently used entries removed first, e.g. 500m or 2g (default: $CAIRN_CACHE_MAX_SIZE, else no bound)",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(NoCache);
        root.Options.Add(CacheDir);
        root.Options.Add(CleanupCache);
        root.Options.Add(CacheMaxSize);
    }

    /// <summary>
    /// The folder holding one cache folder per repository. $RESTIC_CACHE_DIR is not read, unlike most restic variables:
    /// it names restic's own cache, which cairn does not share (docs/architecture.md, "The local cache").
    /// </summary>
    public static string Root(ParseResult result)
    {
        var given = result.GetValue(CacheDir) ?? (Environment.GetEnvironmentVariable("CAIRN_CACHE_DIR") is { Length: > 0 } variable ? variable : null);
        return given is null ? CacheFolders.DefaultRoot() : Path.GetFullPath(given);
    }

    /// <summary>
    /// The cache a repository at <paramref name="location"/> gets: none for local folders (the cache would be a second
    /// copy on the same kind of disk, as restic reasons) or with --no-cache.
    /// </summary>
    public static RepositoryCacheOptions? Options(ParseResult result, string location)
    {
        var maxSize = SizeArgument.Parse(result.GetValue(CacheMaxSize) ?? Env.Get("CACHE_MAX_SIZE"), CacheMaxSize.Name);
        if (result.GetValue(NoCache) || !ObjectStoreFactory.IsRemote(location))
        {
            return null;
        }

        return new RepositoryCacheOptions(Root(result)) { MaxSize = maxSize };
    }

    /// <summary>--cleanup-cache: removes the cache folders unused for 30 days, as <c>cache --cleanup</c> does.</summary>
    public static void CleanUpIfAsked(ParseResult result)
    {
        if (!result.GetValue(CleanupCache))
        {
            return;
        }

        var folders = new CacheFolders(Root(result));
        var removed = folders.RemoveOld(CacheFolders.DefaultMaxAge);
        if (removed.Count > 0 && !result.GetValue(GlobalOptions.Quiet))
        {
            Console.Error.WriteLine($"removed {removed.Count} old cache dirs from {folders.Root}");
        }
    }
}
