namespace Cairn.Repository.Cache;

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

    /// <summary>The tag file that marks the root as a cache for backup programs (https://bford.info/cachedir/).</summary>
    public const string TagFileName = "CACHEDIR.TAG";

    /// <summary>restic's age for an old cache folder: unused for 30 days.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(30);

    /// <summary>The folder that holds every repository's cache.</summary>
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

    /// <summary>
    /// Creates the root if needed, with its CACHEDIR.TAG (so backup tools, cairn's --exclude-caches among them, skip
    /// it), and returns a repository's folder, marked as used now.
    /// </summary>
    public string Prepare(string repositoryId)
    {
        if (!IsRepositoryId(repositoryId))
        {
            throw new ArgumentException($"'{repositoryId}' is not a repository ID", nameof(repositoryId));
        }

        Directory.CreateDirectory(root);
        var tag = System.IO.Path.Combine(root, TagFileName);
        if (!File.Exists(tag))
        {
            File.WriteAllText(tag, "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by cairn.\n# For information about cache directory tags, see https://bford.info/cachedir/\n");
        }

        var folder = System.IO.Path.Combine(root, repositoryId);
        Directory.CreateDirectory(folder);
        Directory.SetLastWriteTimeUtc(folder, _time.GetUtcNow().UtcDateTime);
        return folder;
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

    /// <summary>64 lowercase hexadecimal characters: a repository's config names it so, and nothing else can be a path.</summary>
    public static bool IsRepositoryId(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);
}
