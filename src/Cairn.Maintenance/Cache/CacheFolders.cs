namespace Cairn.Maintenance.Cache;

/// <summary>One repository's cache folder: named by the repository ID, last used when its folder was last modified.</summary>
public sealed record CacheFolder(string RepositoryId, string Path, DateTimeOffset LastUsed, long? Size, bool IsOld);

/// <summary>
/// The local cache folders restic lays out (one folder per repository ID under the cache root, a CACHEDIR.TAG beside
/// them): listed with their age and size, and the old ones removed. Only folders whose name is a repository ID are
/// touched, so nothing else a user keeps in the root is ever deleted.
/// </summary>
public sealed class CacheFolders(string root, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string Root => root;

    /// <summary>$XDG_CACHE_HOME/cairn, else ~/.cache/cairn (the XDG base directory specification's default).</summary>
    public static string DefaultRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cacheHome = !string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg)
            ? xdg
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return System.IO.Path.Combine(cacheHome, "cairn");
    }

    /// <summary>The repository folders, oldest first; a folder is old when unused for longer than <paramref name="maxAge"/>.</summary>
    public IReadOnlyList<CacheFolder> List(TimeSpan maxAge, bool withSize)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        var now = _time.GetUtcNow();
        return new DirectoryInfo(root).EnumerateDirectories()
            .Where(d => IsRepositoryId(d.Name) && !d.Attributes.HasFlag(FileAttributes.ReparsePoint))
            .Select(d =>
            {
                var lastUsed = new DateTimeOffset(d.LastWriteTimeUtc, TimeSpan.Zero);
                return new CacheFolder(d.Name, d.FullName, lastUsed, withSize ? SizeOf(d) : null, now - lastUsed > maxAge);
            })
            .OrderBy(f => f.LastUsed)
            .ToList();
    }

    /// <summary>Removes the old folders; returns those removed.</summary>
    public IReadOnlyList<CacheFolder> RemoveOld(TimeSpan maxAge)
    {
        var old = List(maxAge, withSize: false).Where(f => f.IsOld).ToList();
        foreach (var folder in old)
        {
            Directory.Delete(folder.Path, recursive: true);
        }

        return old;
    }

    /// <summary>Bytes in the files below a folder; symbolic links are not followed.</summary>
    private static long SizeOf(DirectoryInfo folder) =>
        folder.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .Sum(f => f.Length);

    private static bool IsRepositoryId(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);
}
