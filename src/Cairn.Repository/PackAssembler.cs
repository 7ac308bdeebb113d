using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Cairn.Repository.Crypto;
using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Repository;

/// <summary>
/// Turns new blobs into pack files and pack files into index files, in the order docs/format.md ("Ordering")
/// requires: a pack is uploaded before any index names it, and <see cref="FlushAsync"/> writes the index only
/// after every pack it lists is stored. Data and tree blobs never share a pack. Thread-safe; uploads run in the
/// background, at most <see cref="RepositoryOptions.UploadConcurrency"/> at once, so callers feel back-pressure.
/// </summary>
public sealed class PackAssembler
{
    /// <summary>An index file lists at most this many blobs, keeping it well under restic's 8 MiB guideline.</summary>
    public const int MaxBlobsPerIndexFile = 50_000;

    /// <summary>Write an index file during a long backup once this many packs are stored but unindexed.</summary>
    private const int IndexEveryPacks = 64;

    private readonly Repository _repository;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<(BlobType, Id), byte> _pending = new();
    private readonly List<IndexPack> _unindexed = [];
    private readonly List<Task> _uploads = [];
    private readonly SemaphoreSlim _uploadSlots;
    private readonly OpenPack?[] _open = new OpenPack?[2];
    private long _storedBytes;
    private long _addedBlobs;

    internal PackAssembler(Repository repository)
    {
        _repository = repository;
        _uploadSlots = new SemaphoreSlim(Math.Max(1, repository.Options.UploadConcurrency));
    }

    /// <summary>Bytes of new packs stored so far (pack files including headers).</summary>
    public long StoredBytes => Interlocked.Read(ref _storedBytes);

    public long AddedBlobs => Interlocked.Read(ref _addedBlobs);

    /// <summary>Whether the blob is in the index or already queued for a pack.</summary>
    public bool Has(BlobType type, Id id) => _repository.Index.Has(type, id) || _pending.ContainsKey((type, id));

    /// <summary>
    /// Stores a blob unless it is known already. Returns whether it was added. The plaintext is compressed
    /// (version 2, when it gets smaller), encrypted and appended to the open pack of its type.
    /// </summary>
    public async ValueTask<bool> SaveAsync(BlobType type, Id id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        if (_repository.Index.Has(type, id) || !_pending.TryAdd((type, id), 0))
        {
            return false;
        }

        var plain = plaintext.Span;
        var mode = _repository.EffectiveCompression;
        byte[]? compressedBuffer = null;
        var payload = plain;
        uint uncompressedLength = 0;
        if (mode != CompressionMode.Off)
        {
            compressedBuffer = ArrayPool<byte>.Shared.Rent(Zstd.MaxCompressedLength(plain.Length));
            var n = Zstd.Compress(plain, compressedBuffer, mode);
            if (n < plain.Length)
            {
                payload = compressedBuffer.AsSpan(0, n);
                uncompressedLength = (uint)plain.Length;
            }
        }

        var sealedLength = payload.Length + CryptoKey.Overhead;
        var sealedBuffer = ArrayPool<byte>.Shared.Rent(sealedLength);
        _repository.Key.Encrypt(payload, sealedBuffer.AsSpan(0, sealedLength));
        if (compressedBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(compressedBuffer);
        }

        OpenPack? full = null;
        lock (_lock)
        {
            var pack = _open[(int)type] ??= new OpenPack(type, _repository.Options.PackSize);
            pack.Append(id, sealedBuffer.AsSpan(0, sealedLength), uncompressedLength);
            if (pack.Length >= _repository.Options.PackSize)
            {
                full = pack;
                _open[(int)type] = null;
            }
        }

        ArrayPool<byte>.Shared.Return(sealedBuffer);
        Interlocked.Increment(ref _addedBlobs);
        if (full is not null)
        {
            await StartUploadAsync(full, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private async Task StartUploadAsync(OpenPack pack, CancellationToken cancellationToken)
    {
        await _uploadSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var upload = Task.Run(async () =>
        {
            try
            {
                await UploadAsync(pack, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _uploadSlots.Release();
            }
        }, cancellationToken);
        lock (_lock)
        {
            _uploads.RemoveAll(static t => t.IsCompletedSuccessfully);
            _uploads.Add(upload);
        }
    }

    private async Task UploadAsync(OpenPack pack, CancellationToken cancellationToken)
    {
        try
        {
            var (bytes, entries) = pack.Finish(_repository.Key);
            var packId = Id.Hash(bytes.Span);
            await _repository.Store.SaveAsync(new ObjectName(ObjectKind.Pack, packId.ToString()), bytes, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _storedBytes, bytes.Length);
            var blobs = new List<IndexBlob>(entries.Count);
            foreach (var e in entries)
            {
                blobs.Add(new IndexBlob
                {
                    Id = e.Id,
                    Type = e.Type.ToJsonName(),
                    Offset = e.Offset,
                    Length = e.Length,
                    UncompressedLength = e.UncompressedLength != 0 ? e.UncompressedLength : null,
                });
            }

            bool writeIndex;
            lock (_lock)
            {
                _unindexed.Add(new IndexPack(packId, blobs));
                writeIndex = _unindexed.Count >= IndexEveryPacks;
            }

            if (writeIndex)
            {
                await WriteIndexAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            pack.Dispose();
        }
    }

    /// <summary>Uploads the open packs, waits for every upload, then writes index files naming them. Returns the new index IDs.</summary>
    public async Task<IReadOnlyList<Id>> FlushAsync(CancellationToken cancellationToken = default)
    {
        OpenPack?[] open;
        lock (_lock)
        {
            open = [.. _open];
            Array.Clear(_open);
        }

        foreach (var pack in open)
        {
            if (pack is { Count: > 0 })
            {
                await StartUploadAsync(pack, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                pack?.Dispose();
            }
        }

        Task[] uploads;
        lock (_lock)
        {
            uploads = [.. _uploads];
            _uploads.Clear();
        }

        await Task.WhenAll(uploads).ConfigureAwait(false);
        return await WriteIndexAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<Id>> WriteIndexAsync(CancellationToken cancellationToken)
    {
        List<IndexPack> packs;
        lock (_lock)
        {
            packs = [.. _unindexed];
            _unindexed.Clear();
        }

        var written = new List<Id>();
        var batch = new List<IndexPack>();
        var blobCount = 0;
        foreach (var pack in packs)
        {
            if (blobCount + pack.Blobs.Count > MaxBlobsPerIndexFile && batch.Count > 0)
            {
                written.Add(await SaveIndexFileAsync(batch, cancellationToken).ConfigureAwait(false));
                batch = [];
                blobCount = 0;
            }

            batch.Add(pack);
            blobCount += pack.Blobs.Count;
        }

        if (batch.Count > 0)
        {
            written.Add(await SaveIndexFileAsync(batch, cancellationToken).ConfigureAwait(false));
        }

        return written;
    }

    private async Task<Id> SaveIndexFileAsync(List<IndexPack> packs, CancellationToken cancellationToken)
    {
        var file = new IndexFile { Packs = packs };
        var id = await _repository.SaveJsonAsync(ObjectKind.Index, file, cancellationToken).ConfigureAwait(false);
        _repository.Index.AddIndexFile(id, file);
        foreach (var pack in packs)
        {
            foreach (var blob in pack.Blobs)
            {
                _pending.TryRemove((BlobTypes.Parse(blob.Type), blob.Id), out _);
            }
        }

        return id;
    }

    /// <summary>A pack being filled: encrypted blobs back to back in one pooled buffer.</summary>
    private sealed class OpenPack(BlobType type, int packSize) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(packSize, 4 * 1024 * 1024) + 64 * 1024);
        private readonly List<PackEntry> _entries = [];

        public int Length { get; private set; }
        public int Count => _entries.Count;

        public void Append(Id id, ReadOnlySpan<byte> sealedBlob, uint uncompressedLength)
        {
            Ensure(sealedBlob.Length);
            sealedBlob.CopyTo(_buffer.AsSpan(Length));
            _entries.Add(new PackEntry(type, id, (uint)Length, (uint)sealedBlob.Length, uncompressedLength));
            Length += sealedBlob.Length;
        }

        private void Ensure(int more)
        {
            if (Length + more <= _buffer.Length)
            {
                return;
            }

            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + more + 4096));
            _buffer.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        /// <summary>Appends the encrypted header and its length; returns the whole pack.</summary>
        public (ReadOnlyMemory<byte> Bytes, List<PackEntry> Entries) Finish(CryptoKey key)
        {
            var header = PackHeader.Encode(_entries);
            var sealedHeaderLength = header.Length + CryptoKey.Overhead;
            Ensure(sealedHeaderLength + PackHeader.LengthFieldSize);
            key.Encrypt(header, _buffer.AsSpan(Length, sealedHeaderLength));
            Length += sealedHeaderLength;
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(Length), (uint)sealedHeaderLength);
            Length += PackHeader.LengthFieldSize;
            return (_buffer.AsMemory(0, Length), _entries);
        }

        public void Dispose()
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }
        }
    }
}
