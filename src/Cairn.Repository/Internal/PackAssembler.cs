using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cairn.Repository.Crypto;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Chunking;
using Cairn.Repository.Internal.Format;
using Cairn.Storage;

namespace Cairn.Repository.Internal;

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

    /// <summary>Scratch for one blob at its largest: a maximum-size chunk, zstd's bound for it, and the crypto overhead.</summary>
    // Two sizes: most blobs (small files, trees, chunks near the 1 MiB average) fit the small one, so the large
    // buffers, which a long backup would otherwise touch in full one after another, stay as few as the readers.
    private static readonly BufferBag s_smallSealedBuffers = new(Zstd.MaxCompressedLength(SmallBlob) + CryptoKey.Overhead, keep: 2 * Environment.ProcessorCount);
    private static readonly BufferBag s_sealedBuffers = new(Zstd.MaxCompressedLength(Chunker.MaxSize) + CryptoKey.Overhead, keep: Environment.ProcessorCount);

    private const int SmallBlob = 1024 * 1024;

    private readonly ResticRepository _repository;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<(BlobType, Id), byte> _pending = new();
    private readonly List<IndexPack> _unindexed = [];
    private readonly IndexSchedule _indexSchedule;
    private readonly List<Task> _uploads = [];
    private readonly SemaphoreSlim _uploadSlots;
    private readonly OpenPack?[] _open = new OpenPack?[2];
    private long _storedBytes;
    private long _addedBlobs;

    internal PackAssembler(ResticRepository repository)
    {
        _repository = repository;
        _indexSchedule = new IndexSchedule(repository.Options.Time);
        _uploadSlots = new SemaphoreSlim(Math.Max(1, repository.Options.UploadConcurrency));
    }

    /// <summary>Bytes of new packs stored so far (pack files including headers).</summary>
    public long StoredBytes => Interlocked.Read(ref _storedBytes);

    /// <summary>Blobs added since the assembler was made.</summary>
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

        // One pooled buffer: the payload is written at offset 16 (compressed or copied), then encrypted in place
        // so that IV || ciphertext || MAC fills it from 0.
        var capacity = (mode == CompressionMode.Off ? plain.Length : Math.Max(plain.Length, Zstd.MaxCompressedLength(plain.Length))) + CryptoKey.Overhead;
        var bag = capacity <= s_smallSealedBuffers.Size ? s_smallSealedBuffers : capacity <= s_sealedBuffers.Size ? s_sealedBuffers : null;
        var sealedBuffer = bag?.Rent() ?? new byte[capacity];
        var payloadLength = plain.Length;
        uint uncompressedLength = 0;
        if (mode != CompressionMode.Off)
        {
            var n = Zstd.Compress(plain, sealedBuffer.AsSpan(CryptoKey.IvSize, capacity - CryptoKey.Overhead), mode);
            if (n < plain.Length)
            {
                payloadLength = n;
                uncompressedLength = (uint)plain.Length;
            }
        }

        if (uncompressedLength == 0)
        {
            plain.CopyTo(sealedBuffer.AsSpan(CryptoKey.IvSize));
        }

        var sealedLength = payloadLength + CryptoKey.Overhead;
        _repository.Key.Encrypt(sealedBuffer.AsSpan(CryptoKey.IvSize, payloadLength), sealedBuffer.AsSpan(0, sealedLength));

        OpenPack? full = null;
        lock (_lock)
        {
            var pack = _open[(int)type] ??= new OpenPack(type, _repository.Store);
            pack.Append(id, sealedBuffer.AsSpan(0, sealedLength), uncompressedLength);
            if (pack.Length >= _repository.Options.PackSize)
            {
                full = pack;
                _open[(int)type] = null;
            }
        }

        bag?.Return(sealedBuffer);
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
            var (packId, entries) = pack.Finish(_repository.Key);
            await pack.SaveAsync(_repository.Store, new ObjectName(ObjectKind.Pack, packId.ToString()), cancellationToken).ConfigureAwait(false);

            Interlocked.Add(ref _storedBytes, pack.Length);
            var blobs = ToIndexBlobs(entries);
            bool writeIndex;
            lock (_lock)
            {
                _unindexed.Add(new IndexPack(packId, blobs));
                writeIndex = _indexSchedule.PackStored(blobs.Count);
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

    /// <summary>
    /// Writes index files naming packs that are stored already but named by no index file (a killed backup's, see
    /// <see cref="StrandedPacks"/>), so their blobs count as known from now on. Returns the new index IDs.
    /// </summary>
    public Task<IReadOnlyList<Id>> IndexStoredPacksAsync(IEnumerable<(Id Pack, List<PackEntry> Entries)> packs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packs);
        lock (_lock)
        {
            foreach (var (pack, entries) in packs)
            {
                _unindexed.Add(new IndexPack(pack, ToIndexBlobs(entries)));
            }
        }

        return WriteIndexAsync(cancellationToken);
    }

    private static List<IndexBlob> ToIndexBlobs(List<PackEntry> entries)
    {
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

        return blobs;
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
            _indexSchedule.Indexed();
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

    /// <summary>A pack being filled: encrypted blobs back to back in a temporary file, hashed as they arrive.</summary>
    private sealed class OpenPack(BlobType type, IObjectStore store) : IDisposable
    {
        private readonly PackSpool _buffer = new(store);
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly List<PackEntry> _entries = [];

        public long Length => _buffer.Length;
        public int Count => _entries.Count;

        public void Append(Id id, ReadOnlySpan<byte> sealedBlob, uint uncompressedLength)
        {
            _entries.Add(new PackEntry(type, id, checked((uint)_buffer.Length), (uint)sealedBlob.Length, uncompressedLength));
            Write(sealedBlob);
        }

        private void Write(ReadOnlySpan<byte> bytes)
        {
            _buffer.Append(bytes);
            _hash.AppendData(bytes);
        }

        /// <summary>Appends the encrypted header and its length; returns the pack's ID (SHA-256 of all of it).</summary>
        public (Id Id, List<PackEntry> Entries) Finish(CryptoKey key)
        {
            var header = PackHeader.Encode(_entries);
            var sealedHeader = key.Encrypt(header);
            Write(sealedHeader);
            Span<byte> lengthField = stackalloc byte[PackHeader.LengthFieldSize];
            BinaryPrimitives.WriteUInt32LittleEndian(lengthField, (uint)sealedHeader.Length);
            Write(lengthField);
            Span<byte> digest = stackalloc byte[Id.Size];
            _hash.GetHashAndReset(digest);
            return (new Id(digest), _entries);
        }

        public Task SaveAsync(IObjectStore store, ObjectName name, CancellationToken cancellationToken) =>
            _buffer.SaveAsync(store, name, cancellationToken);

        public void Dispose()
        {
            _buffer.Dispose();
            _hash.Dispose();
        }
    }
}
