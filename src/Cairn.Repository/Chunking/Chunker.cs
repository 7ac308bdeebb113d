using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cairn.Repository.Chunking;

/// <summary>
/// restic's content-defined chunker: a Rabin fingerprint of the last 64 bytes modulo the repository's
/// polynomial, cutting after a byte whose fingerprint has its low 20 bits zero (1 MiB on average), with chunks
/// between 512 KiB and 8 MiB. Matches restic's boundaries byte for byte (checked against restic 0.14).
/// </summary>
public sealed class Chunker
{
    public const int MinSize = 512 * 1024;
    public const int MaxSize = 8 * 1024 * 1024;
    public const int WindowSize = 64;

    /// <summary>A boundary follows a byte after which the digest's low 20 bits are zero.</summary>
    private const ulong SplitMask = (1UL << 20) - 1;

    private readonly ulong[] _out;
    private readonly ulong[] _mod;
    private readonly int _shift;

    public Chunker(Polynomial polynomial)
    {
        // The mod table needs 8 bits below the top, and the digest shifted left by 8 must fit in 64 bits.
        if (polynomial.Degree is < 9 or > 56)
        {
            throw new ArgumentOutOfRangeException(nameof(polynomial), polynomial.ToString(), "The chunker polynomial must have a degree between 9 and 56.");
        }

        Polynomial = polynomial;
        var tables = RabinTables.For(polynomial, WindowSize);
        _out = tables.Out;
        _mod = tables.Mod;
        _shift = tables.Shift;
    }

    public Polynomial Polynomial { get; }

    /// <summary>
    /// Finds the end of the chunk that starts at <c>data[0]</c>. Returns the chunk's length: up to the boundary
    /// if one is found, <see cref="MaxSize"/> if <paramref name="data"/> is at least that long without one,
    /// <c>data.Length</c> if <paramref name="isFinal"/> (end of the file) and none was found, or -1 if more
    /// data is needed to decide. Stateless: every call starts a new chunk, so pass at least
    /// <see cref="MaxSize"/> bytes when the file has that many left to avoid rescanning.
    /// </summary>
    public int FindBoundary(ReadOnlySpan<byte> data, bool isFinal)
    {
        if (data.Length < MinSize)
        {
            return isFinal ? data.Length : -1;
        }

        var limit = Math.Min(data.Length, MaxSize);
        var boundary = Scan(data[..limit]);
        if (boundary > 0)
        {
            return boundary;
        }

        if (limit == MaxSize)
        {
            return MaxSize;
        }

        return isFinal ? data.Length : -1;
    }

    /// <summary>Returns the first boundary in <paramref name="data"/> (MinSize ≤ length ≤ MaxSize), or 0.</summary>
    private int Scan(ReadOnlySpan<byte> data)
    {
        ref var outTable = ref MemoryMarshal.GetArrayDataReference(_out);
        ref var modTable = ref MemoryMarshal.GetArrayDataReference(_mod);
        ref var bytes = ref MemoryMarshal.GetReference(data);
        var shift = _shift;

        // Each chunk starts from a zero digest and an all-zero window into which a single 1 byte is slid;
        // the bytes before MinSize - WindowSize are never looked at. The first WindowSize bytes fed push out
        // 63 zeros (contributing nothing) and then that 1, which has been shifted by all 64 of them.
        var digest = 1UL;
        for (var i = MinSize - WindowSize; i < MinSize; i++)
        {
            digest = Append(digest, Unsafe.Add(ref bytes, i), shift, ref modTable);
        }

        digest ^= Unsafe.Add(ref outTable, 1);

        // A boundary may fall at MinSize at the earliest (restic never checks before it).
        if ((digest & SplitMask) == 0)
        {
            return MinSize;
        }

        var length = data.Length;
        for (var i = MinSize; i < length; i++)
        {
            // Append the new byte and remove the one 64 bytes back; only the mod lookup depends on the old digest.
            var next = ((digest << 8) | Unsafe.Add(ref bytes, i)) ^ Unsafe.Add(ref outTable, Unsafe.Add(ref bytes, i - WindowSize));
            digest = next ^ Unsafe.Add(ref modTable, (nint)(digest >> shift));
            if ((digest & SplitMask) == 0)
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>(digest·x^8 + b) mod P.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Append(ulong digest, byte b, int shift, ref ulong modTable) =>
        ((digest << 8) | b) ^ Unsafe.Add(ref modTable, (nint)(digest >> shift));
}
