using System.Security.Cryptography;
using Cairn.Repository.Internal.Crypto;

namespace Cairn.Repository.Crypto;

/// <summary>
/// restic's key material: a 32-byte AES-256 key for encryption and a Poly1305-AES MAC key (k: 16-byte AES key,
/// r: 16 bytes). Sealed data is IV ‖ AES-256-CTR(plaintext) ‖ Poly1305-AES(k, r, nonce = IV, ciphertext).
/// </summary>
public sealed class CryptoKey
{
    /// <summary>Bytes of the random IV before each ciphertext (docs/format.md, "Encryption").</summary>
    public const int IvSize = 16;
    /// <summary>Bytes of the Poly1305-AES tag after each ciphertext (docs/format.md, "Encryption").</summary>
    public const int MacSize = 16;
    /// <summary>Bytes encryption adds to a plaintext: IV and MAC.</summary>
    public const int Overhead = IvSize + MacSize;
    /// <summary>Bytes of the AES-256 key.</summary>
    public const int EncryptionKeySize = 32;
    /// <summary>Bytes of each of the MAC's two keys, k and r.</summary>
    public const int MacKeySize = 16;
    /// <summary>Bytes scrypt derives for a key file's key: encryption key, k and r.</summary>
    public const int DerivedSize = EncryptionKeySize + 2 * MacKeySize;

    private readonly byte[] _encryptionKey;
    private readonly byte[] _macK;
    private readonly byte[] _macR;

    /// <summary>A key from its three parts (docs/format.md, "Keys").</summary>
    public CryptoKey(ReadOnlySpan<byte> encryptionKey32, ReadOnlySpan<byte> macK16, ReadOnlySpan<byte> macR16)
    {
        if (encryptionKey32.Length != EncryptionKeySize)
        {
            throw new ArgumentException($"The encryption key must be {EncryptionKeySize} bytes.", nameof(encryptionKey32));
        }

        if (macK16.Length != MacKeySize)
        {
            throw new ArgumentException($"The MAC key k must be {MacKeySize} bytes.", nameof(macK16));
        }

        if (macR16.Length != MacKeySize)
        {
            throw new ArgumentException($"The MAC key r must be {MacKeySize} bytes.", nameof(macR16));
        }

        _encryptionKey = encryptionKey32.ToArray();
        _macK = macK16.ToArray();
        _macR = macR16.ToArray();
    }

    /// <summary>The AES-256 key.</summary>
    public ReadOnlySpan<byte> EncryptionKey => _encryptionKey;

    /// <summary>The Poly1305-AES key k.</summary>
    public ReadOnlySpan<byte> MacK => _macK;

    /// <summary>The Poly1305 key r as stored (restic stores it unclamped; clamping happens when the MAC is computed).</summary>
    public ReadOnlySpan<byte> MacR => _macR;

    /// <summary>A fresh random key, for a new repository's master key.</summary>
    public static CryptoKey NewRandom()
    {
        Span<byte> bytes = stackalloc byte[DerivedSize];
        RandomNumberGenerator.Fill(bytes);
        var key = FromDerivedBytes(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return key;
    }

    /// <summary>Splits a key-file KDF output: the first 32 bytes are the AES key, then 16 bytes k, then 16 bytes r.</summary>
    public static CryptoKey FromDerivedBytes(ReadOnlySpan<byte> derived64)
    {
        if (derived64.Length != DerivedSize)
        {
            throw new ArgumentException($"The derived key material must be {DerivedSize} bytes.", nameof(derived64));
        }

        return new CryptoKey(derived64[..EncryptionKeySize], derived64.Slice(EncryptionKeySize, MacKeySize), derived64[(EncryptionKeySize + MacKeySize)..]);
    }

    /// <summary>
    /// Writes IV ‖ ciphertext ‖ MAC into <paramref name="output"/>, which must be exactly
    /// <c>plaintext.Length + Overhead</c> bytes. The plaintext may already sit at <c>output[IvSize..]</c>
    /// (in-place encryption) but must not overlap the output otherwise.
    /// </summary>
    public void Encrypt(ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        if (output.Length != plaintext.Length + Overhead)
        {
            throw new ArgumentException($"The output must be exactly {Overhead} bytes longer than the plaintext.", nameof(output));
        }

        var iv = output[..IvSize];
        var ciphertext = output.Slice(IvSize, plaintext.Length);
        if (((ReadOnlySpan<byte>)output).Overlaps(plaintext, out var offset) && offset != IvSize)
        {
            throw new ArgumentException("The plaintext overlaps the output at a position other than the ciphertext's.", nameof(output));
        }

        // The plaintext may live in the ciphertext area, so the IV is drawn into a separate buffer first.
        Span<byte> freshIv = stackalloc byte[IvSize];
        RandomNumberGenerator.Fill(freshIv);
        freshIv.CopyTo(iv);
        AesCtr.Transform(_encryptionKey, freshIv, plaintext, ciphertext);
        Poly1305Aes.ComputeMac(_macK, _macR, freshIv, ciphertext, output[(IvSize + plaintext.Length)..]);
    }

    /// <summary>Encrypts with a random IV and appends the MAC: IV, ciphertext, tag (docs/format.md, "Encryption").</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[plaintext.Length + Overhead];
        Encrypt(plaintext, output);
        return output;
    }

    /// <summary>
    /// Checks the MAC (in constant time) and only then decrypts into <paramref name="plaintext"/>, which must be
    /// exactly <c>ciphertext.Length - Overhead</c> bytes. Returns false, leaving the plaintext untouched, when the
    /// input is too short or does not authenticate (wrong key or damaged data).
    /// </summary>
    public bool TryDecrypt(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        if (ciphertext.Length < Overhead)
        {
            return false;
        }

        if (plaintext.Length != ciphertext.Length - Overhead)
        {
            throw new ArgumentException($"The plaintext buffer must be exactly {Overhead} bytes shorter than the ciphertext.", nameof(plaintext));
        }

        var iv = ciphertext[..IvSize];
        var body = ciphertext[IvSize..^MacSize];
        if (!Poly1305Aes.Verify(_macK, _macR, iv, body, ciphertext[^MacSize..]))
        {
            return false;
        }

        if (body.Overlaps(plaintext, out var offset) && offset != 0)
        {
            // Decrypting in place from IV ‖ ciphertext ‖ MAC into the same buffer's start: the IV must be copied out first.
            Span<byte> ivCopy = stackalloc byte[IvSize];
            iv.CopyTo(ivCopy);
            body.CopyTo(plaintext);
            AesCtr.Transform(_encryptionKey, ivCopy, plaintext, plaintext);
            return true;
        }

        AesCtr.Transform(_encryptionKey, iv, body, plaintext);
        return true;
    }
}
