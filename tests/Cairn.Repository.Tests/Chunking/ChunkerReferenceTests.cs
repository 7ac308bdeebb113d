using Cairn.Repository.Chunking;
using Cairn.Repository.Internal.Chunking;

namespace Cairn.Repository.Tests.Chunking;

/// <summary>
/// The chunker's interleaved scan against a plain transcription of restic's algorithm as its design document
/// describes it: per chunk, reset the digest and window, slide in one 1 byte, skip to 64 bytes before the minimum,
/// then slide byte by byte and cut where the low 20 bits are zero.
/// </summary>
public sealed class ChunkerReferenceTests
{
    private static readonly Polynomial Polynomial = Polynomial.Parse("3d85df715d4f9f");
    private static readonly Chunker Chunker = new(Polynomial);

    [Fact]
    public void Cuts_where_a_byte_by_byte_rolling_hash_cuts()
    {
        // Many files whose first cut falls at every kind of place: in each of the four lanes, near their
        // stretch edges, in the single-lane tail, at the maximum, and at file ends shorter than a block.
        var checkedCuts = 0;
        for (ulong seed = 1; seed <= 48; seed++)
        {
            var length = seed % 6 == 0 ? Chunker.MinSize + (int)(seed * 7919 % 40000) : Chunker.MaxSize + 1;
            var data = SplitMix64.Bytes(seed, length);
            if (seed % 5 == 0 && length > 4 * Chunker.MinSize)
            {
                // A run of one value gives no cut until the maximum unless the data around it does.
                data.AsSpan(Chunker.MinSize, 3 * Chunker.MinSize).Fill(0x11);
            }

            var isFinal = length < Chunker.MaxSize;
            Chunker.FindBoundary(data, isFinal).Should().Be(ReferenceCut(data, isFinal), $"seed {seed}");
            checkedCuts++;
        }

        checkedCuts.Should().Be(48);
    }

    [Fact]
    public void Cuts_at_every_offset_within_a_block_of_lanes()
    {
        // Zero windows cut at once: put the first all-zero 64-byte window at many offsets past the minimum.
        var data = SplitMix64.Bytes(99, Chunker.MinSize + 300_000);
        foreach (var offset in new[] { 0, 1, 63, 64, 8191, 8192, 8193, 16383, 16384, 24576, 32767, 32768, 32769, 65536 + 5, 200_000, 299_000 })
        {
            var copy = data.ToArray();
            var end = Chunker.MinSize - 1 + offset;
            copy.AsSpan(end - Chunker.WindowSize + 1, Chunker.WindowSize).Clear();
            var expected = ReferenceCut(copy, isFinal: true);
            expected.Should().BeLessThanOrEqualTo(end + 1);
            Chunker.FindBoundary(copy, isFinal: true).Should().Be(expected, $"offset {offset}");
        }
    }

    private static int ReferenceCut(byte[] data, bool isFinal)
    {
        var tables = RabinTables.For(Polynomial, Chunker.WindowSize);
        var mask = (1UL << 20) - 1;
        var window = new byte[Chunker.WindowSize];
        var position = 0;
        var digest = 0UL;

        void Slide(byte b)
        {
            var leaving = window[position];
            window[position] = b;
            position = (position + 1) % Chunker.WindowSize;
            digest = ((digest << 8) | b) ^ tables.Mod[digest >> tables.Shift];
            digest ^= tables.Out[leaving];
        }

        Slide(1);
        var limit = Math.Min(data.Length, Chunker.MaxSize);
        for (var i = Chunker.MinSize - Chunker.WindowSize; i < limit; i++)
        {
            Slide(data[i]);
            if (i + 1 >= Chunker.MinSize && (digest & mask) == 0)
            {
                return i + 1;
            }
        }

        return limit == Chunker.MaxSize || isFinal ? limit : -1;
    }
}
