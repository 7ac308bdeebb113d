using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cairn.Storage;

namespace Cairn.Repository.Cache;

/// <summary>
/// One repository's cache folder, laid out as restic lays out its cache: <c>snapshots/&lt;id&gt;</c>,
/// <c>index/&lt;id&gt;</c>, <c>data/&lt;first two&gt;/&lt;id&gt;</c>. It holds the repository's stored bytes (encrypted) and
/// nothing else; every entry is checked against its name (the SHA-256 of its bytes) the first time a process uses it,
/// so a damaged or planted file is removed and fetched again, never trusted. Files are written whole under a temporary
/// name and renamed, so several processes can share the folder. Failures of the local disk make an entry a miss,
/// never an error of the command.
/// </summary>
internal sealed class CacheDirectory
{
    private const string TemporarySuffix = ".tmp";

    private readonly string _path;
    private readonly long? _maxSize;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<ObjectName, long> _verified = new();
    private readonly Lock _sizeGate = new();
    private long _size = -1; // bytes held, counted when a bound first needs it

    public CacheDirectory(string path, long? maxSize, TimeProvider time)
    {
        _path = path;
        _maxSize = maxSize;
        _time = time;
    }

    public string Path => _path;

    public static bool Holds(ObjectKind kind) => kind is ObjectKind.Snapshot or ObjectKind.Index or ObjectKind.Pack;

    /// <summary>The length of a verified entry, checking it first if this process has not yet; null when absent or damaged.</summary>
    public long? VerifiedLength(ObjectName name)
    {
        if (_verified.TryGetValue(name, out var known))
        {
            return known;
        }

        var path = PathOf(name);
        try
        {
            byte[] hash;
            long length;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16))
            {
                length = file.Length;
                hash = SHA256.HashData(file);
            }

            if (!Convert.ToHexStringLower(hash).Equals(name.Name, StringComparison.Ordinal))
            {
                Remove(name);
                return null;
            }

            File.SetLastAccessTimeUtc(path, _time.GetUtcNow().UtcDateTime); // least recently used goes first
            _verified[name] = length;
            return length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // FileNotFoundException and DirectoryNotFoundException among them
        }
    }

    /// <summary>Reads a range of a verified entry; false when the entry has gone (another process evicted it) or is shorter.</summary>
    public bool TryReadAt(ObjectName name, long offset, Memory<byte> buffer)
    {
        try
        {
            using var handle = File.OpenHandle(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var done = 0;
            while (done < buffer.Length)
            {
                var n = RandomAccess.Read(handle, buffer.Span[done..], offset + done);
                if (n == 0)
                {
                    Forget(name);
                    return false;
                }

                done += n;
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Forget(name);
            return false;
        }
    }

    /// <summary>Keeps bytes fetched from the repository if they match their name and fit the bound; returns whether it did.</summary>
    public bool TryStore(ObjectName name, ReadOnlySpan<byte> bytes)
    {
        if (!Convert.ToHexStringLower(SHA256.HashData(bytes)).Equals(name.Name, StringComparison.Ordinal) || bytes.Length > _maxSize)
        {
            return false;
        }

        var path = PathOf(name);
        var temporary = $"{path}.{Guid.NewGuid():n}{TemporarySuffix}";
        try
        {
            MakeRoom(bytes.Length);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
            }

            File.Move(temporary, path, overwrite: true);
            File.SetLastAccessTimeUtc(path, _time.GetUtcNow().UtcDateTime);
            _verified[name] = bytes.Length;
            AddSize(bytes.Length);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return false;
        }
    }

    /// <summary>Removes an entry (the repository deleted it, or it failed its check).</summary>
    public void Remove(ObjectName name)
    {
        Forget(name);
        var path = PathOf(name);
        var length = LengthOrZero(path);
        if (TryDelete(path))
        {
            AddSize(-length);
        }
    }

    /// <summary>Removes the entries of a kind the repository no longer lists: the listing is the truth.</summary>
    public void Retain(ObjectKind kind, IReadOnlySet<string> listed)
    {
        foreach (var file in Entries(kind))
        {
            if (!listed.Contains(file.Name) && ObjectName.TryCreate(kind, file.Name, out var name))
            {
                Remove(name);
            }
        }
    }

    private void MakeRoom(long incoming)
    {
        if (_maxSize is not { } max)
        {
            return;
        }

        lock (_sizeGate)
        {
            if (_size < 0)
            {
                _size = ObjectKinds.All.Where(Holds).SelectMany(Entries).Sum(f => f.Length);
            }

            if (_size + incoming <= max)
            {
                return;
            }

            // Least recently used first: every use stamps the entry's access time.
            var oldest = ObjectKinds.All.Where(Holds)
                .SelectMany(kind => Entries(kind).Select(file => (Kind: kind, File: file)))
                .OrderBy(e => e.File.LastAccessTimeUtc)
                .ToList();
            foreach (var (kind, file) in oldest)
            {
                if (_size + incoming <= max)
                {
                    break;
                }

                if (ObjectName.TryCreate(kind, file.Name, out var name))
                {
                    Forget(name);
                }

                if (TryDelete(file.FullName))
                {
                    _size -= file.Length;
                }
            }
        }
    }

    private void AddSize(long delta)
    {
        lock (_sizeGate)
        {
            if (_size >= 0)
            {
                _size = Math.Max(0, _size + delta);
            }
        }
    }

    private void Forget(ObjectName name) => _verified.TryRemove(name, out _);

    /// <summary>The files of one kind (temporary ones left out); an absent folder has none.</summary>
    private IEnumerable<FileInfo> Entries(ObjectKind kind)
    {
        var folder = new DirectoryInfo(System.IO.Path.Combine(_path, kind.FolderName()));
        if (!folder.Exists)
        {
            return [];
        }

        var options = new EnumerationOptions { RecurseSubdirectories = kind == ObjectKind.Pack, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        try
        {
            return folder.EnumerateFiles("*", options).Where(f => !f.Name.EndsWith(TemporarySuffix, StringComparison.Ordinal)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private string PathOf(ObjectName name) => name.Kind switch
    {
        ObjectKind.Pack => System.IO.Path.Combine(_path, name.Kind.FolderName(), name.Name[..2], name.Name),
        ObjectKind.Snapshot or ObjectKind.Index => System.IO.Path.Combine(_path, name.Kind.FolderName(), name.Name),
        _ => throw new ArgumentException($"{name} is never cached", nameof(name)),
    };

    private static long LengthOrZero(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
