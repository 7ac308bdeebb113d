using System.Text;
using Cairn.Repository.Crypto;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Crypto;
using Cairn.Repository.Json;
using Cairn.Storage;

namespace Cairn.Repository;

/// <summary>
/// The key files of a repository (docs/format.md, "Keys"): each wraps the one master key with a key derived by
/// scrypt from one password, so passwords can be added and removed without re-encrypting anything.
/// </summary>
public static class KeyRing
{
    private const int DerivedKeyLength = 64;
    private const int SaltLength = 64;

    /// <summary>Writes a key file for <paramref name="master"/> protected by <paramref name="password"/>; returns its ID.</summary>
    public static async Task<Id> WriteKeyFileAsync(IObjectStore store, CryptoKey master, string password, RepositoryOptions options, CancellationToken cancellationToken)
    {
        var salt = ResticRepository.RandomBytes(SaltLength);
        var kdf = options.Kdf;
        var derived = Scrypt.DeriveKey(Encoding.UTF8.GetBytes(password), salt, kdf.N, kdf.R, kdf.P, DerivedKeyLength);
        var userKey = CryptoKey.FromDerivedBytes(derived);
        var masterJson = RepositoryJson.Serialize(new MasterKeyJson(new MacKeyJson(master.MacK.ToArray(), master.MacR.ToArray()), master.EncryptionKey.ToArray()));
        var file = new KeyFile
        {
            Created = NodeTime.FromDateTimeOffset(options.Time.GetLocalNow()),
            Username = options.Username,
            Hostname = options.Hostname,
            Kdf = "scrypt",
            N = kdf.N,
            R = kdf.R,
            P = kdf.P,
            Salt = salt,
            Data = userKey.Encrypt(masterJson),
        };
        var bytes = RepositoryJson.Serialize(file);
        var id = Id.Hash(bytes);
        await store.SaveAsync(new ObjectName(ObjectKind.Key, id.ToString()), bytes, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Finds the key file the password opens and returns the master key. Throws <see cref="WrongPasswordException"/> when none does.</summary>
    public static Task<(CryptoKey Master, Id KeyId)> OpenAsync(IObjectStore store, string password, CancellationToken cancellationToken) =>
        OpenAsync(store, password, keyHint: null, cancellationToken);

    /// <summary>As <see cref="OpenAsync(IObjectStore, string, CancellationToken)"/>, trying first the key files whose ID starts with <paramref name="keyHint"/>.</summary>
    public static async Task<(CryptoKey Master, Id KeyId)> OpenAsync(IObjectStore store, string password, string? keyHint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(password);
        var keys = await store.ListAllAsync(ObjectKind.Key, cancellationToken).ConfigureAwait(false);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        var ordered = string.IsNullOrEmpty(keyHint) ? keys : [.. keys.OrderBy(k => k.Name.Name.StartsWith(keyHint, StringComparison.Ordinal) ? 0 : 1)];
        foreach (var info in ordered)
        {
            var file = await ReadKeyFileAsync(store, info.Name, cancellationToken).ConfigureAwait(false);
            if (TryUnlock(file, passwordBytes, info.Name.ToString()) is { } master)
            {
                return (master, Id.Parse(info.Name.Name));
            }
        }

        throw new WrongPasswordException();
    }

    /// <summary>Reads and parses one key file.</summary>
    public static async Task<KeyFile> ReadKeyFileAsync(IObjectStore store, ObjectName name, CancellationToken cancellationToken)
    {
        var bytes = await store.ReadAllAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            return RepositoryJson.Deserialize<KeyFile>(bytes, name.ToString());
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CorruptedDataException(name.ToString(), "not a valid key file: " + e.Message, e);
        }
    }

    /// <summary>
    /// The most memory one scrypt lane of a key file may ask for (128·r·N bytes). A key file is its author's choice and
    /// Space opens tenants' keys, so a hostile one must not take the host's memory; restic calibrates its keys to
    /// about 60 MiB at most, Cairn's default is 32 MiB.
    /// </summary>
    public const long MaxScryptMemoryBytes = 1L << 30;

    /// <summary>The most work (128·r·N·p bytes mixed) a key file may ask for: about 15 times restic's usual keys.</summary>
    public const long MaxScryptWorkBytes = 4L << 30;

    /// <summary>
    /// Opens one key file with the password: its master key, or null when the password is not this key's. Throws
    /// <see cref="CorruptedDataException"/> for a key file no password could open or whose scrypt parameters pass the
    /// bounds above; a caller with tighter bounds checks <see cref="KeyFile.N"/>, R and P before calling.
    /// </summary>
    public static CryptoKey? TryOpenKeyFile(KeyFile file, string password, string what)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(password);
        return TryUnlock(file, Encoding.UTF8.GetBytes(password), what);
    }

    private static CryptoKey? TryUnlock(KeyFile file, byte[] password, string what)
    {
        RequireUsable(file, what);
        if (file.Data.Length < CryptoKey.Overhead)
        {
            return null;
        }

        var derived = Scrypt.DeriveKey(password, file.Salt, file.N, file.R, file.P, DerivedKeyLength);
        var userKey = CryptoKey.FromDerivedBytes(derived);
        var plain = new byte[file.Data.Length - CryptoKey.Overhead];
        if (!userKey.TryDecrypt(file.Data, plain))
        {
            return null;
        }

        MasterKeyJson master;
        try
        {
            master = RepositoryJson.Deserialize<MasterKeyJson>(plain, what);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CorruptedDataException(what, "master key is not valid JSON: " + e.Message, e);
        }

        return new CryptoKey(master.Encrypt, master.Mac.K, master.Mac.R);
    }

    /// <summary>
    /// A key file that no password could open, or that asks scrypt for more than <see cref="MaxScryptMemoryBytes"/> or
    /// <see cref="MaxScryptWorkBytes"/>, is named as corrupted (as restic stops at a key its scrypt refuses) instead of
    /// failing inside the key derivation.
    /// </summary>
    private static void RequireUsable(KeyFile file, string what)
    {
        if (file.Kdf != "scrypt")
        {
            throw new CorruptedDataException(what, $"unsupported key derivation \"{file.Kdf}\" (only scrypt)");
        }

        if (file.Salt is null || file.Data is null)
        {
            throw new CorruptedDataException(what, "key file has no salt or no data");
        }

        var memory = (Int128)128 * file.R * file.N; // no overflow for any int N and r
        if (file.N < 2 || !System.Numerics.BitOperations.IsPow2(file.N) || file.R < 1 || file.P < 1
            || memory > MaxScryptMemoryBytes || memory * file.P > MaxScryptWorkBytes)
        {
            throw new CorruptedDataException(what, $"unusable scrypt parameters N={file.N}, r={file.R}, p={file.P} " +
                $"(N a power of two above 1, r and p at least 1, at most {MaxScryptMemoryBytes >> 20} MiB and {MaxScryptWorkBytes >> 20} MiB of work)");
        }
    }

    /// <summary>Adds a key file for another password to an open repository.</summary>
    public static Task<Id> AddAsync(ResticRepository repository, string newPassword, CancellationToken cancellationToken = default) =>
        WriteKeyFileAsync(repository.Store, repository.Key, newPassword, repository.Options, cancellationToken);

    /// <summary>Removes a key file; refuses the one in use, so a repository never loses its last way in.</summary>
    public static async Task RemoveAsync(ResticRepository repository, Id keyId, CancellationToken cancellationToken = default)
    {
        if (keyId == repository.KeyId)
        {
            throw new InvalidOperationException("refusing to remove the key currently used to access the repository");
        }

        await repository.Store.DeleteAsync(new ObjectName(ObjectKind.Key, keyId.ToString()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the current key by one for a new password: the new key is written before the old is removed.</summary>
    public static async Task<Id> ChangePasswordAsync(ResticRepository repository, string newPassword, CancellationToken cancellationToken = default)
    {
        var id = await AddAsync(repository, newPassword, cancellationToken).ConfigureAwait(false);
        await repository.Store.DeleteAsync(new ObjectName(ObjectKind.Key, repository.KeyId.ToString()), cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Every key file with its id.</summary>
    public static async Task<List<(Id Id, KeyFile File)>> ListAsync(IObjectStore store, CancellationToken cancellationToken = default)
    {
        var result = new List<(Id, KeyFile)>();
        foreach (var info in await store.ListAllAsync(ObjectKind.Key, cancellationToken).ConfigureAwait(false))
        {
            result.Add((Id.Parse(info.Name.Name), await ReadKeyFileAsync(store, info.Name, cancellationToken).ConfigureAwait(false)));
        }

        return result;
    }
}
