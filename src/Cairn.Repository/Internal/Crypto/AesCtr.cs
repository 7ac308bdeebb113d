using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Cairn.Repository.Internal.Crypto;

/// <summary>
/// AES-256 in counter mode as restic uses it: the 16-byte IV is the initial value of a big-endian 128-bit
/// counter that is incremented once per 16-byte block and wraps around at 2^128.
/// </summary>
public static class AesCtr
{
    /// <summary>Bytes of an AES-256 key.</summary>
    public const int KeySize = 32;
    /// <summary>Bytes of the counter block.</summary>
    public const int IvSize = 16;
    private const int BlockSize = 16;

    // Counter blocks are encrypted in batches with one ECB call (AES-NI through the platform library);
    // the call has a fixed cost, so batches are large.
    private const int BatchSize = 64 * 1024;

    [ThreadStatic]
    private static byte[]? t_keystream;

    /// <summary>
    /// Encrypts or decrypts (the same operation) <paramref name="input"/> into <paramref name="output"/>.
    /// The two may be the same buffer but must not overlap otherwise.
    /// </summary>
    public static void Transform(ReadOnlySpan<byte> key32, ReadOnlySpan<byte> iv16, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (key32.Length != KeySize)
        {
            throw new ArgumentException($"The AES-256 key must be {KeySize} bytes.", nameof(key32));
        }

        if (LibCrypto.IsAvailable)
        {
            CheckArguments(iv16, input, output);
            LibCrypto.AesCtrTransform(key32, iv16, input, output);
            return;
        }

        Transform(AesInstanceCache.Get(key32), iv16, input, output);
    }

    private static void CheckArguments(ReadOnlySpan<byte> iv16, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (iv16.Length != IvSize)
        {
            throw new ArgumentException($"The IV must be {IvSize} bytes.", nameof(iv16));
        }

        if (output.Length < input.Length)
        {
            throw new ArgumentException("The output is shorter than the input.", nameof(output));
        }

        if (input.Overlaps(output, out var offset) && offset != 0)
        {
            throw new ArgumentException("Input and output overlap at different offsets.", nameof(output));
        }
    }

    /// <summary>The managed path (ECB-encrypted counter blocks through .NET), used when OpenSSL is not loaded.</summary>
    internal static void Transform(Aes aes, ReadOnlySpan<byte> iv16, ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckArguments(iv16, input, output);

        var high = BinaryPrimitives.ReadUInt64BigEndian(iv16);
        var low = BinaryPrimitives.ReadUInt64BigEndian(iv16[8..]);
        var keystream = t_keystream ??= new byte[BatchSize];
        var used = Math.Min(BatchSize, (input.Length + BlockSize - 1) / BlockSize * BlockSize);

        while (!input.IsEmpty)
        {
            var count = Math.Min(input.Length, BatchSize);
            var blocks = (count + BlockSize - 1) / BlockSize;
            var stream = keystream.AsSpan(0, blocks * BlockSize);
            WriteCounterBlocks(stream, ref high, ref low);
            aes.EncryptEcb(stream, stream, PaddingMode.None);
            Xor(input[..count], stream, output);
            input = input[count..];
            output = output[count..];
        }

        // The keystream is as sensitive as the plaintext; the thread's buffer outlives this call.
        CryptographicOperations.ZeroMemory(keystream.AsSpan(0, used));
    }

    /// <summary>Writes successive big-endian counter blocks and advances the counter past them.</summary>
    private static void WriteCounterBlocks(Span<byte> stream, ref ulong high, ref ulong low)
    {
        var blocks = (ulong)(stream.Length / BlockSize);
        if (low <= ulong.MaxValue - blocks && Vector128.IsHardwareAccelerated)
        {
            // No carry into the high half in this batch: count in a vector holding (low, high) as little-endian
            // lanes and reverse its 16 bytes, which gives high ‖ low big-endian.
            var counter = Vector128.Create(low, high);
            var one = Vector128.Create(1UL, 0UL);
            var reverse = Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
            ref var destination = ref MemoryMarshal.GetReference(stream);
            for (nuint offset = 0; offset < (nuint)stream.Length; offset += BlockSize)
            {
                Vector128.Shuffle(counter.AsByte(), reverse).StoreUnsafe(ref destination, offset);
                counter += one;
            }

            low += blocks;
            return;
        }

        for (var i = 0; i < stream.Length; i += BlockSize)
        {
            BinaryPrimitives.WriteUInt64BigEndian(stream[i..], high);
            BinaryPrimitives.WriteUInt64BigEndian(stream[(i + 8)..], low);
            low++;
            if (low == 0)
            {
                high++;
            }
        }
    }

    /// <summary>output[i] = input[i] ^ keystream[i] for i below input.Length.</summary>
    private static void Xor(ReadOnlySpan<byte> input, ReadOnlySpan<byte> keystream, Span<byte> output)
    {
        ref var src = ref MemoryMarshal.GetReference(input);
        ref var key = ref MemoryMarshal.GetReference(keystream);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var length = (nuint)input.Length;
        nuint i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<byte>.Count <= length; i += (nuint)Vector256<byte>.Count)
            {
                (Vector256.LoadUnsafe(ref src, i) ^ Vector256.LoadUnsafe(ref key, i)).StoreUnsafe(ref dst, i);
            }
        }

        for (; i + (nuint)Vector128<byte>.Count <= length; i += (nuint)Vector128<byte>.Count)
        {
            (Vector128.LoadUnsafe(ref src, i) ^ Vector128.LoadUnsafe(ref key, i)).StoreUnsafe(ref dst, i);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref dst, i) = (byte)(Unsafe.Add(ref src, i) ^ Unsafe.Add(ref key, i));
        }
    }
}
