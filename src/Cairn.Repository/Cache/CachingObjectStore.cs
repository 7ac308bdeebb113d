using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cairn.Storage;

namespace Cairn.Repository.Cache;

/// <summary>
/// A remote repository's store with a local cache in front, as restic keeps one: snapshot files, index files and the
/// packs <paramref name="cachesPack"/> picks (those holding tree blobs) are read whole once, kept in
/// <paramref name="cache"/> and served from there afterwards. The repository stays the truth: writes and deletes go to
/// it first, listings come from it (and remove from the cache what it no longer lists), and a cached entry that fails
/// its hash is fetched again.
/// </summary>
internal sealed class CachingObjectStore(IObjectStore inner, CacheDirectory cache, Func<ObjectName, bool> cachesPack) : IObjectStore
{
    // One download per object even when several readers want it at once (parallel tree loads hit the same pack).
    private readonly ConcurrentDictionary<ObjectName, Task<Held?>> _fetches = new();

    // Objects the cache could not keep: read straight from the repository from then on, never downloaded whole again.
    private readonly ConcurrentDictionary<ObjectName, byte> _uncacheable = new();

    public IObjectStore Inner => inner;

    public string Location => inner.Location;

    public Task CreateAsync(CancellationToken cancellationToken = default) => inner.CreateAsync(cancellationToken);

    public async Task SaveAsync(ObjectName name, ObjectContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (name.Kind is not (ObjectKind.Index or ObjectKind.Snapshot))
        {
            await inner.SaveAsync(name, content, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Index and snapshot files are small: kept once the repository has them, so the next command reads them here.
        using var copy = new MemoryStream();
        await using (var source = content.Open())
        {
            await source.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        }

        var bytes = copy.GetBuffer().AsMemory(0, (int)copy.Length);
        await inner.SaveAsync(name, bytes, cancellationToken).ConfigureAwait(false);
        cache.TryStore(name, bytes.Span);
    }

    public async Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        // A pack is fetched whole only when read; its stat alone (check, prune) does not bring it in.
        var length = name.Kind == ObjectKind.Pack
            ? (IsCached(name) ? cache.VerifiedLength(name) : null)
            : (await HeldAsync(name, cancellationToken).ConfigureAwait(false))?.Length;
        return length is { } size ? new ObjectInfo(name, size) : await inner.StatAsync(name, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (await HeldAsync(name, cancellationToken).ConfigureAwait(false) is { } held && offset >= 0 && offset + buffer.Length <= held.Length)
        {
            if (held.Unstored is { } bytes)
            {
                bytes.AsMemory((int)offset, buffer.Length).CopyTo(buffer);
                return;
            }

            if (cache.TryReadAt(name, offset, buffer))
            {
                return;
            }
        }

        await inner.ReadAtAsync(name, offset, buffer, cancellationToken).ConfigureAwait(false);
    }

    public Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default) => inner.OpenReadAsync(name, cancellationToken);

    // Streams bypass the cache (as the whole-object open does); forwarded so a ranged store reads only the range.
    public Task<Stream> OpenReadAsync(ObjectName name, long offset, long length, CancellationToken cancellationToken = default)
        => inner.OpenReadAsync(name, offset, length, cancellationToken);

    public Task<ObjectRead> OpenWithSizeAsync(ObjectName name, long offset, long? length, CancellationToken cancellationToken = default)
        => inner.OpenWithSizeAsync(name, offset, length, cancellationToken);

    public async IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var info in inner.ListAsync(kind, cancellationToken).ConfigureAwait(false))
        {
            listed.Add(info.Name.Name);
            yield return info;
        }

        // Only a listing read to its end says what the repository holds.
        if (CacheDirectory.Holds(kind))
        {
            cache.Retain(kind, listed);
        }
    }

    public async Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (CacheDirectory.Holds(name.Kind))
            {
                cache.Remove(name);
            }
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private bool IsCached(ObjectName name) => !_uncacheable.ContainsKey(name) && name.Kind switch
    {
        ObjectKind.Index or ObjectKind.Snapshot => true,
        ObjectKind.Pack => cachesPack(name),
        _ => false,
    };

    /// <summary>
    /// The verified cache entry, downloaded into the cache first if needed; null for what is not cached. Bytes that were
    /// downloaded but could not be kept (too large for the bound, a full disk, not matching their name) come back as
    /// they are, so the read is not made twice; the layer above checks them as it checks every read.
    /// </summary>
    private async Task<Held?> HeldAsync(ObjectName name, CancellationToken cancellationToken)
    {
        if (!IsCached(name))
        {
            return null;
        }

        if (cache.VerifiedLength(name) is { } length)
        {
            return new Held(length, null);
        }

        var fetch = _fetches.GetOrAdd(name, n => FetchAsync(n, cancellationToken));
        try
        {
            return await fetch.ConfigureAwait(false);
        }
        finally
        {
            _fetches.TryRemove(new KeyValuePair<ObjectName, Task<Held?>>(name, fetch));
        }
    }

    private async Task<Held?> FetchAsync(ObjectName name, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the dictionary's factory returns at once; the download runs outside it
        var bytes = await inner.ReadAllAsync(name, cancellationToken).ConfigureAwait(false);
        if (cache.TryStore(name, bytes))
        {
            return new Held(bytes.Length, null);
        }

        _uncacheable.TryAdd(name, 0);
        return new Held(bytes.Length, bytes);
    }

    /// <summary>An object's length and, when the cache could not keep it, its downloaded bytes.</summary>
    private readonly record struct Held(long Length, byte[]? Unstored);
}
