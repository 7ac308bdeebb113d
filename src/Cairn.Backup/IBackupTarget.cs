using Cairn.Repository;
using Cairn.Repository.Chunking;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Chunking;

namespace Cairn.Backup;

/// <summary>What a backup needs of a repository, and nothing more.</summary>
public interface IBackupTarget
{
    /// <summary>The content-defined chunker, with the repository's polynomial, that splits files into data blobs.</summary>
    Chunker Chunker { get; }

    /// <summary>Whether the target already holds the blob, so the archiver need not save it again (deduplication).</summary>
    bool HasBlob(BlobType type, Id id);

    /// <summary>Stores a blob unless known; returns whether it was new.</summary>
    ValueTask<bool> SaveBlobAsync(BlobType type, Id id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken);

    /// <summary>Loads a tree of the parent snapshot, to reuse unchanged files.</summary>
    Task<List<Node>> LoadTreeAsync(Id id, CancellationToken cancellationToken);

    /// <summary>Stores every pending pack and the index naming them; must finish before the snapshot is saved.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Saves the snapshot file, after <see cref="FlushAsync"/> (docs/format.md, "Ordering"), and answers its id.</summary>
    Task<Id> SaveSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken);
}

/// <summary>The backup target over an open <see cref="Repository"/>.</summary>
public sealed class RepositoryBackupTarget(ResticRepository repository) : IBackupTarget
{
    /// <inheritdoc/>
    public Chunker Chunker => repository.Chunker;

    /// <inheritdoc/>
    public bool HasBlob(BlobType type, Id id) => repository.Blobs.Has(type, id);

    /// <inheritdoc/>
    public ValueTask<bool> SaveBlobAsync(BlobType type, Id id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken) =>
        repository.Blobs.SaveAsync(type, id, plaintext, cancellationToken);

    /// <inheritdoc/>
    public Task<List<Node>> LoadTreeAsync(Id id, CancellationToken cancellationToken) => repository.LoadTreeAsync(id, cancellationToken);

    /// <inheritdoc/>
    public Task FlushAsync(CancellationToken cancellationToken) => repository.Blobs.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<Id> SaveSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken) => repository.SaveSnapshotAsync(snapshot, cancellationToken);
}
