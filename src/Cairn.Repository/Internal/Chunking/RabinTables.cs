using System.Collections.Concurrent;
using Cairn.Repository.Chunking;

namespace Cairn.Repository.Internal.Chunking;

/// <summary>
/// The two lookup tables of the rolling Rabin fingerprint for one polynomial P of degree d, computed once per
/// polynomial and shared. The digest is the remainder mod P of the window's bytes read as a polynomial.
/// </summary>
internal sealed class RabinTables
{
    private static readonly ConcurrentDictionary<ulong, RabinTables> Cache = new();

    private RabinTables(Polynomial polynomial, int windowSize)
    {
        var p = polynomial.Value;
        var degree = polynomial.Degree;
        Shift = degree - 8;
        Out = new ulong[256];
        Mod = new ulong[256];

        for (ulong b = 0; b < 256; b++)
        {
            // Appending a byte computes (digest·x^8 + byte) mod P. The shifted digest has 8 bits at positions
            // d..d+7, the digest's top byte (digest >> (d - 8)). Mod[top] clears those bits (the top << d part)
            // and adds their remainder mod P, all in one XOR.
            Mod[b] = (b << degree) ^ Polynomial.Mod(b << degree, p);

            // restic removes a byte leaving the window before appending the new one, when it has been multiplied
            // by x^8 for each of the windowSize - 1 bytes after it: b·x^(8·(windowSize-1)) mod P. Appending is
            // linear, so removing it right after the append instead takes b·x^(8·windowSize) mod P and gives the
            // same digest; the chunker does that because the removal then stays off the digest's dependency chain.
            var contribution = b;
            for (var i = 0; i < 8 * windowSize; i++)
            {
                contribution <<= 1;
                if ((contribution >> degree) != 0)
                {
                    contribution ^= p;
                }
            }

            Out[b] = contribution;
        }
    }

    /// <summary>Degree minus 8: digest &gt;&gt; Shift is the digest's top byte, the index into <see cref="Mod"/>.</summary>
    public int Shift { get; }

    /// <summary>Out[b] = b·x^(8·window) mod P: what the byte leaving the window contributes once the next byte is appended.</summary>
    public ulong[] Out { get; }

    /// <summary>Mod[t] = (t·x^d) XOR ((t·x^d) mod P): reduces a digest shifted left by 8 whose top byte was t.</summary>
    public ulong[] Mod { get; }

    public static RabinTables For(Polynomial polynomial, int windowSize) =>
        Cache.GetOrAdd(polynomial.Value, static (_, state) => new RabinTables(state.polynomial, state.windowSize), (polynomial, windowSize));
}
