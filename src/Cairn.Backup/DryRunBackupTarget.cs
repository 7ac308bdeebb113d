using System.Buffers;
using System.Collections.Concurrent;
using Cairn.Repository;
using Cairn.Repository.Chunking;
using Cairn.Repository.Crypto;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Chunking;
using Cairn.Repository.Internal.Format;

namespace Cairn.Backup;

/// <summary>
/// A target that stores nothing (backup --dry-run): blobs the repository lacks are only counted, with the size they
/// would take stored (compressed as the repository would compress them, plus the encryption overhead).
/// </summary>
public sealed class DryRunBackupTarget(IBackupTarget repository, CompressionMode compression) : IBackupTarget
{
    private readonly ConcurrentDictionary<(BlobType, Id), byte> _wouldAdd = new();
    private long _storedBytes;

    /// <inheritdoc/>
    public Chunker Chunker => repository.Chunker;

    /// <summary>What the blobs that would be added would take in packs.</summary>
    public long StoredBytes => Interlocked.Read(ref _storedBytes);

    /// <inheritdoc/>
    public bool HasBlob(BlobType type, Id id) => repository.HasBlob(type, id) || _wouldAdd.ContainsKey((type, id));

    /// <inheritdoc/>
    public ValueTask<bool> SaveBlobAsync(BlobType type, Id id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (repository.HasBlob(type, id) || !_wouldAdd.TryAdd((type, id), 0))
        {
            return ValueTask.FromResult(false);
        }

        Interlocked.Add(ref _storedBytes, StoredLength(plaintext.Span) + CryptoKey.Overhead);
        return ValueTask.FromResult(true);
    }

    private int StoredLength(ReadOnlySpan<byte> plaintext)
    {
        if (compression == CompressionMode.Off)
        {
            return plaintext.Length;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Zstd.MaxCompressedLength(plaintext.Length));
        try
        {
            return Math.Min(plaintext.Length, Zstd.Compress(plaintext, buffer, compression));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Trees of the parent snapshot only: a tree this run would add was never stored.</summary>
    public Task<List<Node>> LoadTreeAsync(Id id, CancellationToken cancellationToken) => repository.LoadTreeAsync(id, cancellationToken);

    /// <inheritdoc/>
    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task<Id> SaveSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("a dry run saves no snapshot");
}
