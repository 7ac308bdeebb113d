using System.Security.Cryptography;
using System.Text.Json;
using Cairn.Repository.Cache;
using Cairn.Repository.Chunking;
using Cairn.Repository.Crypto;
using Cairn.Repository.Format;
using Cairn.Repository.Internal;
using Cairn.Repository.Internal.Chunking;
using Cairn.Repository.Internal.Format;
using Cairn.Repository.Json;
using Cairn.Storage;

namespace Cairn.Repository;

/// <summary>
/// An open restic-format repository: its config, master key and index over an <see cref="IObjectStore"/>.
/// Reads verify every file against its name and authenticate every byte; writes follow the ordering rules of
/// docs/format.md ("Ordering"): packs, then the index naming them, then the snapshot.
/// </summary>
public sealed partial class ResticRepository : IAsyncDisposable, Trees.ITreeLoader
{
    private ResticRepository(IObjectStore store, RepositoryConfig config, CryptoKey key, Id keyId, RepositoryOptions options)
    {
        Config = config;
        Key = key;
        KeyId = keyId;
        Options = options;
        Chunker = new Chunker(Polynomial.Parse(config.ChunkerPolynomial));
        Index = new MasterIndex();
        Store = RepositoryCache.Wrap(store, config.Id, options.Cache, pack => Id.TryParse(pack.Name, out var id) && Index.HoldsTrees(id));
        Blobs = new PackAssembler(this);
        Files = new StoreFiles(Store);
    }

    /// <summary>The object store holding the repository.</summary>
    public IObjectStore Store { get; }

    /// <summary>Packs, index files, snapshots and locks by kind and ID: what maintenance lists, reads and deletes.</summary>
    public IRepositoryFiles Files { get; }
    /// <summary>The repository's config (version, chunker polynomial).</summary>
    public RepositoryConfig Config { get; }
    /// <summary>The master key.</summary>
    public CryptoKey Key { get; }
    /// <summary>The key file that opened the repository.</summary>
    public Id KeyId { get; }
    /// <summary>The options the repository was opened with.</summary>
    public RepositoryOptions Options { get; }
    /// <summary>The chunker for the repository's polynomial.</summary>
    public Chunker Chunker { get; }
    /// <summary>The index of every blob loaded.</summary>
    public MasterIndex Index { get; }
    /// <summary>Where new blobs go: packs assembled per blob type and uploaded with their index.</summary>
    public PackAssembler Blobs { get; }

    /// <summary>The format version (1 or 2).</summary>
    public int Version => Config.Version;

    /// <summary>Compression actually applied: none in version-1 repositories.</summary>
    public CompressionMode EffectiveCompression => Version < 2 ? CompressionMode.Off : Options.Compression;

    /// <summary>Creates a repository in an empty store: config, first key.</summary>
    public static Task<ResticRepository> InitAsync(IObjectStore store, string password, RepositoryOptions? options = null, CancellationToken cancellationToken = default) =>
        InitAsync(store, password, options, Polynomial.RandomIrreducible(), cancellationToken);

    /// <summary>
    /// Creates a repository whose chunker uses <paramref name="chunkerPolynomial"/>: another repository's, so that
    /// both cut the same files into the same blobs and snapshots copied between them deduplicate (restic's
    /// <c>init --copy-chunker-params</c>).
    /// </summary>
    public static async Task<ResticRepository> InitAsync(IObjectStore store, string password, RepositoryOptions? options, Polynomial chunkerPolynomial, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(password);
        options ??= new RepositoryOptions();
        if (await store.ExistsAsync(ObjectName.Config, cancellationToken).ConfigureAwait(false))
        {
            throw new RepositoryExistsException(store.Location);
        }

        await store.CreateAsync(cancellationToken).ConfigureAwait(false);
        var master = CryptoKey.NewRandom();
        var config = new RepositoryConfig(RepositoryConfig.LatestVersion, Id.Random().ToString(), chunkerPolynomial.ToString());
        var keyId = await KeyRing.WriteKeyFileAsync(store, master, password, options, cancellationToken).ConfigureAwait(false);

        // The config is plain JSON inside the encryption, never compressed: it is read before the version is known.
        var configBytes = master.Encrypt(RepositoryJson.Serialize(config));
        await store.SaveAsync(ObjectName.Config, configBytes, cancellationToken).ConfigureAwait(false);
        return new ResticRepository(store, config, master, keyId, options);
    }

    /// <summary>Opens a repository with a password, trying each key file.</summary>
    public static async Task<ResticRepository> OpenAsync(IObjectStore store, string password, RepositoryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(password);
        options ??= new RepositoryOptions();
        var configCipher = await ReadConfigAsync(store, cancellationToken).ConfigureAwait(false);
        var (master, keyId) = await KeyRing.OpenAsync(store, password, options.KeyHint, cancellationToken).ConfigureAwait(false);
        return new ResticRepository(store, DecodeConfig(master, configCipher), master, keyId, options);
    }

    /// <summary>
    /// Opens the repository with a master key already unwrapped from key file <paramref name="keyId"/> (by
    /// <see cref="KeyRing.TryOpenKeyFile"/>), so a caller that checked the password once does not run scrypt again.
    /// </summary>
    public static async Task<ResticRepository> OpenWithKeyAsync(IObjectStore store, CryptoKey master, Id keyId, RepositoryOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(master);
        var configCipher = await ReadConfigAsync(store, cancellationToken).ConfigureAwait(false);
        return new ResticRepository(store, DecodeConfig(master, configCipher), master, keyId, options ?? new RepositoryOptions());
    }

    private static async Task<byte[]> ReadConfigAsync(IObjectStore store, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadAllAsync(ObjectName.Config, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException e)
        {
            throw new RepositoryNotFoundException(store.Location, e);
        }
        catch (StoreNotFoundException e)
        {
            throw new RepositoryNotFoundException(store.Location, e);
        }
    }

    private static RepositoryConfig DecodeConfig(CryptoKey master, byte[] configCipher)
    {
        var plain = Decrypt(master, configCipher, "config");
        RepositoryConfig config;
        try
        {
            config = RepositoryJson.Deserialize<RepositoryConfig>(UnpackedCodec.Decode(plain), "config");
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new CorruptedDataException("config", e.Message, e);
        }

        if (config.Version is < 1 or > RepositoryConfig.LatestVersion)
        {
            throw new UnsupportedFormatException($"repository format version {config.Version} is not supported (1 and 2 are)");
        }

        return config;
    }

    internal static byte[] Decrypt(CryptoKey key, ReadOnlySpan<byte> ciphertext, string what)
    {
        if (ciphertext.Length < CryptoKey.Overhead)
        {
            throw new CorruptedDataException(what, $"only {ciphertext.Length} bytes, too short to be encrypted data");
        }

        var plain = new byte[ciphertext.Length - CryptoKey.Overhead];
        if (!key.TryDecrypt(ciphertext, plain))
        {
            throw new CorruptedDataException(what, "ciphertext verification failed (MAC mismatch)");
        }

        return plain;
    }

    /// <summary>Encrypts, names by SHA-256 of the stored bytes and saves an index, snapshot or lock file.</summary>
    public async Task<Id> SaveUnpackedAsync(ObjectKind kind, ReadOnlyMemory<byte> json, CancellationToken cancellationToken = default)
    {
        // Encoded and encrypted in place in one rented buffer: IV, then the encoded document, then the MAC.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(UnpackedCodec.MaxEncodedLength(json.Length) + CryptoKey.Overhead);
        try
        {
            var encoded = UnpackedCodec.EncodeInto(json.Span, Version, Version >= 2 ? CompressionMode.Auto : CompressionMode.Off, buffer.AsSpan(CryptoKey.IvSize));
            var cipher = buffer.AsMemory(0, encoded + CryptoKey.Overhead);
            Key.Encrypt(buffer.AsSpan(CryptoKey.IvSize, encoded), cipher.Span);
            var id = Id.Hash(cipher.Span);
            await Store.SaveAsync(new ObjectName(kind, id.ToString()), cipher, cancellationToken).ConfigureAwait(false);
            return id;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Saves a repository document: <typeparamref name="T"/> must be registered in <see cref="RepositoryJsonContext"/>.</summary>
    public async Task<Id> SaveJsonAsync<T>(ObjectKind kind, T document, CancellationToken cancellationToken = default)
    {
        using var json = new PooledBufferWriter(16 * 1024);
        RepositoryJson.Serialize(json, document);
        return await SaveUnpackedAsync(kind, json.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads an unpacked file, checks its bytes against its name, decrypts and decodes it.</summary>
    public async Task<byte[]> LoadUnpackedAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        var cipher = await Store.ReadAllAsync(name, cancellationToken).ConfigureAwait(false);
        var what = name.ToString();
        if (name.Kind != ObjectKind.Config && Id.Hash(cipher).ToString() != name.Name)
        {
            throw new CorruptedDataException(what, "content does not match its name (SHA-256 mismatch)");
        }

        var plain = Decrypt(Key, cipher, what);
        try
        {
            return UnpackedCodec.Decode(plain);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException or ZstdNet.ZstdException)
        {
            throw new CorruptedDataException(what, e.Message, e);
        }
    }

    /// <summary>Loads a repository document: <typeparamref name="T"/> must be registered in <see cref="RepositoryJsonContext"/>.</summary>
    public async Task<T> LoadJsonAsync<T>(ObjectName name, CancellationToken cancellationToken = default)
    {
        var json = await LoadUnpackedAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            return RepositoryJson.Deserialize<T>(json, name.ToString());
        }
        catch (JsonException e)
        {
            throw new CorruptedDataException(name.ToString(), "not valid JSON: " + e.Message, e);
        }
    }

    /// <summary>Loads, authenticates, decompresses and verifies one blob.</summary>
    public async Task<byte[]> LoadBlobAsync(BlobType type, Id id, CancellationToken cancellationToken = default)
    {
        if (!Index.TryGet(type, id, out var location))
        {
            throw new CorruptedDataException($"{type.ToJsonName()} blob {id}", "not found in any index");
        }

        var cipher = new byte[location.Length];
        var pack = new ObjectName(ObjectKind.Pack, location.Pack.ToString());
        await Store.ReadAtAsync(pack, location.Offset, cipher, cancellationToken).ConfigureAwait(false);
        return DecodeBlob(id, location, cipher);
    }

    /// <summary>
    /// Decrypts, decompresses and checks a blob into <paramref name="destination"/> (at least its plaintext length);
    /// returns the plaintext length. A compressed blob is decrypted in a rented buffer first.
    /// </summary>
    public int DecodeBlob(Id id, BlobLocation location, ReadOnlySpan<byte> cipher, Span<byte> destination)
    {
        if (!location.IsCompressed)
        {
            return DecodeUncompressed(id, location, cipher, destination);
        }

        var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(cipher.Length);
        try
        {
            cipher.CopyTo(scratch);
            return DecodeCompressedInPlace(id, location, scratch.AsSpan(0, cipher.Length), destination);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Like <see cref="DecodeBlob(Id, BlobLocation, ReadOnlySpan{byte}, Span{byte})"/>, but a compressed blob is
    /// decrypted where it lies in <paramref name="stored"/> (which it overwrites) and decompressed from there, so no
    /// scratch buffer is needed: what a restore does with the pack ranges it has just read.
    /// </summary>
    public int DecodeBlobInPlace(Id id, BlobLocation location, Span<byte> stored, Span<byte> destination) =>
        location.IsCompressed
            ? DecodeCompressedInPlace(id, location, stored, destination)
            : DecodeUncompressed(id, location, stored, destination);

    private int DecodeUncompressed(Id id, BlobLocation location, ReadOnlySpan<byte> stored, Span<byte> destination)
    {
        var length = SealedPlainLength(id, location, stored.Length);
        if (!Key.TryDecrypt(stored, destination[..length]))
        {
            throw new CorruptedDataException(BlobDescription(id, location), "ciphertext verification failed (MAC mismatch)");
        }

        return Verified(id, location, destination[..length]);
    }

    private int DecodeCompressedInPlace(Id id, BlobLocation location, Span<byte> stored, Span<byte> destination)
    {
        // The payload between IV and MAC becomes the compressed plaintext where it is (AES-CTR is a stream cipher).
        var payload = stored.Slice(CryptoKey.IvSize, SealedPlainLength(id, location, stored.Length));
        if (!Key.TryDecrypt(stored, payload))
        {
            throw new CorruptedDataException(BlobDescription(id, location), "ciphertext verification failed (MAC mismatch)");
        }

        int length;
        try
        {
            length = Zstd.Decompress(payload, destination[..(int)location.UncompressedLength]);
        }
        catch (ZstdNet.ZstdException e)
        {
            throw new CorruptedDataException(BlobDescription(id, location), "decompression failed: " + e.Message, e);
        }

        if (length != location.UncompressedLength)
        {
            throw new CorruptedDataException(BlobDescription(id, location), $"decompressed to {length} bytes, expected {location.UncompressedLength}");
        }

        return Verified(id, location, destination[..length]);
    }

    private static int SealedPlainLength(Id id, BlobLocation location, int storedLength) =>
        storedLength >= CryptoKey.Overhead
            ? storedLength - CryptoKey.Overhead
            : throw new CorruptedDataException(BlobDescription(id, location), "too short to be encrypted data");

    private static int Verified(Id id, BlobLocation location, ReadOnlySpan<byte> plain) =>
        Id.Hash(plain) == id
            ? plain.Length
            : throw new CorruptedDataException(BlobDescription(id, location), "content does not match its ID (SHA-256 mismatch)");

    private static string BlobDescription(Id id, BlobLocation location) => $"pack {location.Pack} ({location.Type.ToJsonName()} blob {id})";

    /// <summary>Decrypts, decompresses and checks the SHA-256 of a blob read from its pack, into a new array.</summary>
    public byte[] DecodeBlob(Id id, BlobLocation location, ReadOnlySpan<byte> cipher)
    {
        var plain = new byte[location.IsCompressed ? location.UncompressedLength : Math.Max(0, cipher.Length - CryptoKey.Overhead)];
        var length = DecodeBlob(id, location, cipher, plain);
        return length == plain.Length ? plain : plain[..length];
    }

    /// <summary>Loads and decodes a tree blob.</summary>
    public async Task<List<Node>> LoadTreeAsync(Id id, CancellationToken cancellationToken = default)
    {
        var bytes = await LoadBlobAsync(BlobType.Tree, id, cancellationToken).ConfigureAwait(false);
        try
        {
            return TreeCodec.Decode(bytes);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new CorruptedDataException($"tree {id}", e.Message, e);
        }
    }

    /// <summary>Writes a snapshot file and answers its id.</summary>
    public async Task<Id> SaveSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken = default) =>
        await SaveJsonAsync(ObjectKind.Snapshot, snapshot, cancellationToken).ConfigureAwait(false);

    /// <summary>Closes the store.</summary>
    public async ValueTask DisposeAsync() => await Store.DisposeAsync().ConfigureAwait(false);

    internal static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);
}

