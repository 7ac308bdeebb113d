using System.Runtime.CompilerServices;

namespace Cairn.Storage.Testing;

/// <summary>One call a <see cref="RecordingObjectStore"/> saw: what was done, to which kind of object, and its name (empty for a listing).</summary>
public readonly record struct RecordedCall(StoreOperation Operation, ObjectKind Kind, string Name);

/// <summary>
/// Wraps any store and records every call in the order it began, so a test can prove the order in which the layer
/// above touches the repository (the lock before the snapshots, the snapshots before the index). Thread-safe.
/// </summary>
public sealed class RecordingObjectStore(IObjectStore inner) : IObjectStore
{
    private readonly Lock _lock = new();
    private readonly List<RecordedCall> _calls = [];

    public IObjectStore Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    public string Location => Inner.Location;

    /// <summary>Every call so far, in the order they began.</summary>
    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _calls.Clear();
        }
    }

    public Task CreateAsync(CancellationToken cancellationToken = default)
    {
        Record(StoreOperation.Create, ObjectName.Config);
        return Inner.CreateAsync(cancellationToken);
    }

    public Task SaveAsync(ObjectName name, ObjectContent content, CancellationToken cancellationToken = default)
    {
        Record(StoreOperation.Save, name);
        return Inner.SaveAsync(name, content, cancellationToken);
    }

    public Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        Record(StoreOperation.Stat, name);
        return Inner.StatAsync(name, cancellationToken);
    }

    public Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Record(StoreOperation.Read, name);
        return Inner.ReadAtAsync(name, offset, buffer, cancellationToken);
    }

    public Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        Record(StoreOperation.OpenRead, name);
        return Inner.OpenReadAsync(name, cancellationToken);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Record(new RecordedCall(StoreOperation.List, kind, ""));
        await foreach (var info in Inner.ListAsync(kind, cancellationToken).ConfigureAwait(false))
        {
            yield return info;
        }
    }

    public Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        Record(StoreOperation.Delete, name);
        return Inner.DeleteAsync(name, cancellationToken);
    }

    public ValueTask DisposeAsync() => Inner.DisposeAsync();

    private void Record(StoreOperation operation, ObjectName name) => Record(new RecordedCall(operation, name.Kind, name.Name));

    private void Record(RecordedCall call)
    {
        lock (_lock)
        {
            _calls.Add(call);
        }
    }
}
