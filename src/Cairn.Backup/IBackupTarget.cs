using Cairn.Repository;
using Cairn.Repository.Chunking;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Chunking;

namespace Cairn.Backup;

/// <summary>What a backup needs of a repository, and nothing more.</summary>
public interface IBackupTarget
{
    Chunker Chunker { get; }

    bool HasBlob(BlobType type, Id id);

    /// <summary>Stores a blob unless known; returns whether it was new.</summary>
    ValueTask<bool> SaveBlobAsync(BlobType type, Id id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken);

    Task<List<Node>> LoadTreeAsync(Id id, CancellationToken cancellationToken);

    /// <summary>Stores every pending pack and the index naming them; must finish before the snapshot is saved.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    Task<Id> SaveSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken);
}

/// <summary>The backup target over an open <see cref="Repository"/>.</summary>
public sealed class RepositoryBackupTarget(ResticRepository repository) : IBackupTarget
{
    public Chunker Chunker => repository.Chunker;

    public bool HasBlob(BlobType type, Id id) => repository.Blobs.Has(type, id);

    public ValueTask<bool> SaveBlobAsync(BlobType type, Id id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken) =>
        repository.Blobs.SaveAsync(type, id, plaintext, cancellationToken);

    public Task<List<Node>> LoadTreeAsync(Id id, CancellationToken cancellationToken) => repository.LoadTreeAsync(id, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken) => repository.Blobs.FlushAsync(cancellationToken);

    public Task<Id> SaveSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken) => repository.SaveSnapshotAsync(snapshot, cancellationToken);
}
