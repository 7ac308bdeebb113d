using Cairn.Storage;

namespace Cairn.Repository;

/// <summary>
/// The repository's files as maintenance works on them (check, forget, prune, repair, tag, rewrite, copy): listed,
/// read and deleted by kind and ID. Callers above this layer never reach the raw store for these; the config and the
/// key files are not among them (their own operations own them).
/// </summary>
public interface IRepositoryFiles
{
    /// <summary>Every file of a kind (packs, index files, snapshots, locks), in no particular order.</summary>
    Task<List<ObjectInfo>> ListAsync(ObjectKind kind, CancellationToken cancellationToken = default);

    /// <summary>Reads <paramref name="buffer"/>.Length stored bytes of a pack from <paramref name="offset"/>.</summary>
    Task ReadPackAsync(Id pack, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Deletes a pack, index file, snapshot or lock; <see cref="ObjectNotFoundException"/> when it is gone.</summary>
    Task DeleteAsync(ObjectKind kind, Id id, CancellationToken cancellationToken = default);
}

/// <summary>The files of a repository's store.</summary>
internal sealed class StoreFiles(IObjectStore store) : IRepositoryFiles
{
    public Task<List<ObjectInfo>> ListAsync(ObjectKind kind, CancellationToken cancellationToken = default) =>
        store.ListAllAsync(Listable(kind), cancellationToken);

    public Task ReadPackAsync(Id pack, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        store.ReadAtAsync(new ObjectName(ObjectKind.Pack, pack.ToString()), offset, buffer, cancellationToken);

    public Task DeleteAsync(ObjectKind kind, Id id, CancellationToken cancellationToken = default) =>
        store.DeleteAsync(new ObjectName(Listable(kind), id.ToString()), cancellationToken);

    private static ObjectKind Listable(ObjectKind kind) => kind is ObjectKind.Pack or ObjectKind.Index or ObjectKind.Snapshot or ObjectKind.Lock
        ? kind
        : throw new ArgumentOutOfRangeException(nameof(kind), kind, "maintenance lists and deletes packs, index files, snapshots and locks only");
}
