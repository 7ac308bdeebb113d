using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cairn.Repository.Chunking;

namespace Cairn.Repository.Internal.Chunking;

/// <summary>
/// restic's content-defined chunker: a Rabin fingerprint of the last 64 bytes modulo the repository's
/// polynomial, cutting after a byte whose fingerprint has its low 20 bits zero (1 MiB on average), with chunks
/// between 512 KiB and 8 MiB. Matches restic's boundaries byte for byte (checked against restic 0.14).
/// </summary>
public sealed class Chunker
{
    /// <summary>Smallest chunk, except a file's last (docs/format.md, "Chunking").</summary>
    public const int MinSize = 512 * 1024;
    /// <summary>Largest chunk (docs/format.md, "Chunking").</summary>
    public const int MaxSize = 8 * 1024 * 1024;
    /// <summary>Bytes in the rolling hash window (docs/format.md, "Chunking").</summary>
    public const int WindowSize = 64;

    /// <summary>A boundary follows a byte after which the digest's low 20 bits are zero.</summary>
    private const ulong SplitMask = (1UL << 20) - 1;

    /// <summary>Fingerprints computed side by side by <see cref="ScanLanes"/> (four, one per unrolled variable there).</summary>
    private const int Lanes = 4;

    /// <summary>Bytes per lane and block: large enough that each lane's 64-byte warm-up costs under 1%.</summary>
    private const int LaneBytes = 8 * 1024;

    private readonly ulong[] _out;
    private readonly ulong[] _mod;
    private readonly int _shift;

    /// <summary>A chunker for the repository's polynomial.</summary>
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

    /// <summary>The irreducible polynomial of the Rabin fingerprint.</summary>
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
    /// <remarks>
    /// restic resets the fingerprint at each chunk start and slides in a single 1 byte, which has left the window
    /// again once the 64 bytes before MinSize have been fed (the bytes before those are never looked at). From
    /// MinSize on, the digest is therefore the Rabin fingerprint of the last 64 bytes alone, so whether a position
    /// ends a chunk depends on those 64 bytes and nothing else (docs/format.md, "Chunking"). That allows scanning
    /// several stretches at once: one fingerprint's update waits on the table lookup of the previous one, and four
    /// independent fingerprints interleaved keep the core busy during those waits.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Scan(ReadOnlySpan<byte> data)
    {
        ref var bytes = ref MemoryMarshal.GetReference(data);
        var length = data.Length;

        // A boundary may fall at MinSize at the earliest (restic never checks before it): the first position that
        // can end a chunk is MinSize - 1.
        var end = MinSize - 1;
        while (length - end >= Lanes * LaneBytes)
        {
            var hit = ScanLanes(ref bytes, end);
            if (hit >= 0)
            {
                return hit + 1;
            }

            end += Lanes * LaneBytes;
        }

        var last = end < length ? ScanOne(ref bytes, end, length) : -1;
        return last + 1;
    }

    /// <summary>
    /// Fingerprints the positions [first, first + Lanes·LaneBytes) in four lanes of consecutive stretches and returns
    /// the first position whose window fingerprint has its low 20 bits zero, or -1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ScanLanes(ref byte bytes, int first)
    {
        ref var outTable = ref MemoryMarshal.GetArrayDataReference(_out);
        ref var modTable = ref MemoryMarshal.GetArrayDataReference(_mod);
        var shift = _shift;

        // Each lane's digest starts as the fingerprint of the 64 bytes ending at its first position.
        ref var window = ref Unsafe.Add(ref bytes, first - WindowSize + 1);
        ulong d0 = 0, d1 = 0, d2 = 0, d3 = 0;
        for (var i = 0; i < WindowSize; i++)
        {
            d0 = Append(d0, Unsafe.Add(ref window, i), shift, ref modTable);
            d1 = Append(d1, Unsafe.Add(ref window, i + LaneBytes), shift, ref modTable);
            d2 = Append(d2, Unsafe.Add(ref window, i + (2 * LaneBytes)), shift, ref modTable);
            d3 = Append(d3, Unsafe.Add(ref window, i + (3 * LaneBytes)), shift, ref modTable);
        }

        int h0 = -1, h1 = -1, h2 = -1, h3 = -1;
        ref var lane = ref Unsafe.Add(ref bytes, first);
        for (var j = 0; ;)
        {
            if (((d0 & SplitMask) == 0) | ((d1 & SplitMask) == 0) | ((d2 & SplitMask) == 0) | ((d3 & SplitMask) == 0))
            {
                // Rare (one position in 2^20): note the first hit of each lane.
                if (h0 < 0 && (d0 & SplitMask) == 0)
                {
                    h0 = j;
                }

                if (h1 < 0 && (d1 & SplitMask) == 0)
                {
                    h1 = j;
                }

                if (h2 < 0 && (d2 & SplitMask) == 0)
                {
                    h2 = j;
                }

                if (h3 < 0 && (d3 & SplitMask) == 0)
                {
                    h3 = j;
                }

                if (h0 >= 0)
                {
                    break;
                }
            }

            if (++j == LaneBytes)
            {
                break;
            }

            // Append the byte at j and remove the one 64 bytes back, in every lane.
            ref var at = ref Unsafe.Add(ref lane, j);
            d0 = Roll(d0, at, Unsafe.Add(ref at, -WindowSize), shift, ref outTable, ref modTable);
            d1 = Roll(d1, Unsafe.Add(ref at, LaneBytes), Unsafe.Add(ref at, LaneBytes - WindowSize), shift, ref outTable, ref modTable);
            d2 = Roll(d2, Unsafe.Add(ref at, 2 * LaneBytes), Unsafe.Add(ref at, (2 * LaneBytes) - WindowSize), shift, ref outTable, ref modTable);
            d3 = Roll(d3, Unsafe.Add(ref at, 3 * LaneBytes), Unsafe.Add(ref at, (3 * LaneBytes) - WindowSize), shift, ref outTable, ref modTable);
        }

        // Lanes cover consecutive stretches, so the first lane with a hit holds the first position.
        return h0 >= 0 ? first + h0
            : h1 >= 0 ? first + LaneBytes + h1
            : h2 >= 0 ? first + (2 * LaneBytes) + h2
            : h3 >= 0 ? first + (3 * LaneBytes) + h3
            : -1;
    }

    /// <summary>The same for the positions [first, end) with a single fingerprint (the tail of a scan).</summary>
    private int ScanOne(ref byte bytes, int first, int end)
    {
        ref var outTable = ref MemoryMarshal.GetArrayDataReference(_out);
        ref var modTable = ref MemoryMarshal.GetArrayDataReference(_mod);
        var shift = _shift;

        var digest = 0UL;
        for (var i = first - WindowSize + 1; i <= first; i++)
        {
            digest = Append(digest, Unsafe.Add(ref bytes, i), shift, ref modTable);
        }

        for (var i = first; ;)
        {
            if ((digest & SplitMask) == 0)
            {
                return i;
            }

            if (++i == end)
            {
                return -1;
            }

            digest = Roll(digest, Unsafe.Add(ref bytes, i), Unsafe.Add(ref bytes, i - WindowSize), shift, ref outTable, ref modTable);
        }
    }

    /// <summary>Slides the window one byte: appends <paramref name="incoming"/> and removes <paramref name="outgoing"/>.</summary>
    /// <remarks>Only the mod lookup depends on the old digest.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Roll(ulong digest, byte incoming, byte outgoing, int shift, ref ulong outTable, ref ulong modTable) =>
        ((digest << 8) | incoming) ^ Unsafe.Add(ref outTable, outgoing) ^ Unsafe.Add(ref modTable, (nint)(digest >> shift));

    /// <summary>(digest·x^8 + b) mod P.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Append(ulong digest, byte b, int shift, ref ulong modTable) =>
        ((digest << 8) | b) ^ Unsafe.Add(ref modTable, (nint)(digest >> shift));
}
