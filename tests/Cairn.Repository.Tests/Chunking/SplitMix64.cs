using System.Buffers.Binary;

namespace Cairn.Repository.Tests.Chunking;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 generator, written out so that known-answer data is reproducible
/// everywhere without a fixture file: each output word is written little-endian.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }

    public void Fill(Span<byte> destination)
    {
        Span<byte> word = stackalloc byte[8];
        while (destination.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination, Next());
            destination = destination[8..];
        }

        if (!destination.IsEmpty)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(word, Next());
            word[..destination.Length].CopyTo(destination);
        }
    }

    public static byte[] Bytes(ulong seed, int length)
    {
        var bytes = new byte[length];
        new SplitMix64(seed).Fill(bytes);
        return bytes;
    }
}
