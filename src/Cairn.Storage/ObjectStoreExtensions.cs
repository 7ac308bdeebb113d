namespace Cairn.Storage;

/// <summary>Conveniences built only on the <see cref="IObjectStore"/> contract.</summary>
public static class ObjectStoreExtensions
{
    /// <summary>Saves bytes as an object.</summary>
    public static async Task SaveAsync(this IObjectStore store, ObjectName name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await store.SaveAsync(name, ObjectContent.FromMemory(content), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a whole object into a new array.</summary>
    public static async Task<byte[]> ReadAllAsync(this IObjectStore store, ObjectName name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var info = await store.StatAsync(name, cancellationToken).ConfigureAwait(false);
        var bytes = new byte[info.Size];
        await store.ReadAtAsync(name, 0, bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    /// <summary>Whether the object exists.</summary>
    public static async Task<bool> ExistsAsync(this IObjectStore store, ObjectName name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            await store.StatAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ObjectNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Every object of a kind, in one list.</summary>
    public static async Task<List<ObjectInfo>> ListAllAsync(this IObjectStore store, ObjectKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var list = new List<ObjectInfo>();
        await foreach (var info in store.ListAsync(kind, cancellationToken).ConfigureAwait(false))
        {
            list.Add(info);
        }

        return list;
    }
}
