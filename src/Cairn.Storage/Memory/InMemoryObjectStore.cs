using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Cairn.Storage;

/// <summary>
/// A thread-safe store held in memory, with the same guarantees as the real backends; for tests of the
/// layers above and for throwaway repositories. Objects are copied in and out, so callers never share buffers.
/// </summary>
public sealed class InMemoryObjectStore : IObjectStore
{
    private readonly ConcurrentDictionary<ObjectName, byte[]> _objects = new();

    /// <summary>An empty store in memory, for tests and fuzzing.</summary>
    public InMemoryObjectStore(string location = "memory:")
    {
        ArgumentNullException.ThrowIfNull(location);
        Location = location;
    }

    /// <inheritdoc/>
    public string Location { get; }

    /// <summary>How many objects the store holds, of every kind.</summary>
    public int Count => _objects.Count;

    /// <inheritdoc/>
    public Task CreateAsync(CancellationToken cancellationToken = default)
    {
        Check(cancellationToken);
        if (_objects.ContainsKey(ObjectName.Config))
        {
            throw new StorageException($"a repository already exists at {Location} (it has a config)");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task SaveAsync(ObjectName name, ObjectContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        Check(cancellationToken);
        using var copy = new MemoryStream((int)Math.Min(int.MaxValue, content.Length ?? 0));
        await using (var source = content.Open())
        {
            await source.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        }

        Check(cancellationToken);
        var bytes = copy.ToArray();
        var stored = _objects.GetOrAdd(name, bytes);
        if (!ReferenceEquals(stored, bytes) && stored.Length != bytes.Length)
        {
            throw new ObjectExistsException(name);
        }
    }

    /// <inheritdoc/>
    public Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        Check(cancellationToken);
        return Task.FromResult(new ObjectInfo(name, Get(name).Length));
    }

    /// <inheritdoc/>
    public Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Check(cancellationToken);
        var bytes = Get(name);
        if (offset + buffer.Length > bytes.Length)
        {
            throw new StorageException($"{name} has {bytes.Length} bytes; cannot read {buffer.Length} bytes at offset {offset}");
        }

        bytes.AsSpan((int)offset, buffer.Length).CopyTo(buffer.Span);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        Check(cancellationToken);
        Stream stream = new ReadOnlyMemoryStream(Get(name));
        return Task.FromResult(stream);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Check(cancellationToken);
        await Task.Yield();
        foreach (var (name, bytes) in _objects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (name.Kind == kind)
            {
                yield return new ObjectInfo(name, bytes.Length);
            }
        }
    }

    /// <inheritdoc/>
    public Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        Check(cancellationToken);
        if (!_objects.TryRemove(name, out _))
        {
            throw new ObjectNotFoundException(name);
        }

        return Task.CompletedTask;
    }

    /// <summary>Does nothing: the objects stay, so a test can "reopen" the same store after the layer above disposed it.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public override string ToString() => Location;

    private byte[] Get(ObjectName name) => _objects.TryGetValue(name, out var bytes) ? bytes : throw new ObjectNotFoundException(name);

    private static void Check(CancellationToken cancellationToken) => cancellationToken.ThrowIfCancellationRequested();
}
