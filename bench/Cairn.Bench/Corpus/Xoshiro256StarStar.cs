using System.Buffers.Binary;
using System.Numerics;

namespace Cairn.Bench.Corpus;

/// <summary>
/// xoshiro256** (Blackman and Vigna): a fast, non-cryptographic generator, seeded through splitmix64.
/// The corpus only needs bytes that are reproducible from a seed and look random to a compressor.
/// </summary>
internal sealed class Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    public Xoshiro256StarStar(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    public ulong Next()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A value in [0, bound); the tiny modulo bias does not matter for a corpus.</summary>
    public int Below(int bound) => (int)(Next() % (ulong)bound);

    public long Between(long min, long max) => min + (long)(Next() % (ulong)(max - min + 1));

    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A size between min and max whose logarithm is uniform: many small values, few large ones.</summary>
    public long LogUniform(long min, long max) => (long)Math.Round(min * Math.Pow((double)max / min, NextDouble()));

    public void Fill(Span<byte> destination)
    {
        while (destination.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination, Next());
            destination = destination[8..];
        }

        if (!destination.IsEmpty)
        {
            Span<byte> last = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(last, Next());
            last[..destination.Length].CopyTo(destination);
        }
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
