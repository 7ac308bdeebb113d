using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Trees;
using Cairn.Storage;

namespace Cairn.Restore;

/// <summary>What a restore needs of a repository: trees, where data blobs sit, and reading packs.</summary>
public interface IRestoreSource : ITreeLoader
{
    /// <summary>Where a data blob is stored, when the index names it.</summary>
    bool TryLocateData(Id id, out BlobLocation location);

    /// <summary>Reads stored bytes of a pack at an offset.</summary>
    Task ReadPackAsync(Id pack, long offset, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>
    /// Decrypts, decompresses and verifies one blob read from its pack into <paramref name="destination"/>; returns
    /// its length. May overwrite <paramref name="stored"/> (a compressed blob is decrypted in place).
    /// </summary>
    int DecodeBlob(Id id, BlobLocation location, Span<byte> stored, Span<byte> destination);
}

/// <summary>The restore source over an open repository whose index is loaded.</summary>
public sealed class RepositoryRestoreSource(ResticRepository repository) : IRestoreSource
{
    /// <inheritdoc/>
    public Task<List<Node>> LoadTreeAsync(Id id, CancellationToken cancellationToken = default) => repository.LoadTreeAsync(id, cancellationToken);

    /// <inheritdoc/>
    public bool TryLocateData(Id id, out BlobLocation location) => repository.Index.TryGet(BlobType.Data, id, out location);

    /// <inheritdoc/>
    public Task ReadPackAsync(Id pack, long offset, Memory<byte> buffer, CancellationToken cancellationToken) =>
        repository.Store.ReadAtAsync(new ObjectName(ObjectKind.Pack, pack.ToString()), offset, buffer, cancellationToken);

    /// <inheritdoc/>
    public int DecodeBlob(Id id, BlobLocation location, Span<byte> stored, Span<byte> destination) =>
        repository.DecodeBlobInPlace(id, location, stored, destination);
}
