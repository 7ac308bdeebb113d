using System.Security.Cryptography;

namespace Cairn.Repository.Internal.Crypto;

/// <summary>
/// Bernstein's Poly1305-AES: the Poly1305 tag with the clamped key r and s = AES-128_k(nonce).
/// restic authenticates every ciphertext with it, using the IV as the nonce.
/// </summary>
public static class Poly1305Aes
{
    /// <summary>Bytes of each of the keys k and r.</summary>
    public const int KeySize = 16;
    /// <summary>Bytes of the nonce (the ciphertext's IV).</summary>
    public const int NonceSize = 16;
    /// <summary>Bytes of the tag.</summary>
    public const int MacSize = 16;

    /// <summary>Computes the Poly1305-AES tag of a message (docs/format.md, "Encryption").</summary>
    public static void ComputeMac(ReadOnlySpan<byte> k16, ReadOnlySpan<byte> r16, ReadOnlySpan<byte> nonce16, ReadOnlySpan<byte> message, Span<byte> mac16)
    {
        CheckLength(k16, KeySize, nameof(k16));
        CheckLength(r16, KeySize, nameof(r16));
        CheckLength(nonce16, NonceSize, nameof(nonce16));
        if (mac16.Length < MacSize)
        {
            throw new ArgumentException($"The MAC buffer must hold {MacSize} bytes.", nameof(mac16));
        }

        Span<byte> s = stackalloc byte[16];
        AesInstanceCache.Get(k16).EncryptEcb(nonce16, s, PaddingMode.None);
        if (LibCrypto.IsAvailable)
        {
            LibCrypto.Poly1305Tag(r16, s, message, mac16);
        }
        else
        {
            Poly1305.ComputeTag(r16, s, message, mac16);
        }

        CryptographicOperations.ZeroMemory(s);
    }

    /// <summary>Recomputes the MAC and compares it with <paramref name="mac16"/> in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> k16, ReadOnlySpan<byte> r16, ReadOnlySpan<byte> nonce16, ReadOnlySpan<byte> message, ReadOnlySpan<byte> mac16)
    {
        if (mac16.Length != MacSize)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacSize];
        ComputeMac(k16, r16, nonce16, message, expected);
        return CryptographicOperations.FixedTimeEquals(expected, mac16);
    }

    private static void CheckLength(ReadOnlySpan<byte> value, int length, string name)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"Must be {length} bytes.", name);
        }
    }
}
