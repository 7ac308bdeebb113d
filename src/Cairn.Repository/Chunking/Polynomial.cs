using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace Cairn.Repository.Chunking;

/// <summary>
/// A polynomial over GF(2), bit i being the coefficient of x^i. restic picks a random irreducible one of
/// degree 53 per repository (config field "chunker_polynomial", lowercase hex) for its Rabin fingerprints.
/// </summary>
public readonly record struct Polynomial(ulong Value)
{
    /// <summary>The degree restic uses for chunker polynomials.</summary>
    public const int ChunkerDegree = 53;

    /// <summary>The position of the highest set bit; -1 for the zero polynomial.</summary>
    public int Degree => 63 - BitOperations.LeadingZeroCount(Value);

    /// <summary>
    /// Ben-Or's test: a polynomial f of degree d is irreducible over GF(2) if and only if
    /// gcd(f, x^(2^i) - x) = 1 for every i from 1 to d/2 (no factor of degree i divides it).
    /// </summary>
    public bool IsIrreducible()
    {
        var degree = Degree;
        if (degree < 1)
        {
            return false;
        }

        var f = Value;
        var power = Mod(0b10, f); // x^(2^0) mod f
        for (var i = 1; i <= degree / 2; i++)
        {
            power = MulMod(power, power, f);
            if (Gcd(f, power ^ Mod(0b10, f)) != 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A random irreducible polynomial of degree 53 from the operating system's CSPRNG.</summary>
    public static Polynomial RandomIrreducible() => RandomIrreducible(RandomNumberGenerator.Fill);

    /// <summary>A reproducible variant for tests.</summary>
    public static Polynomial RandomIrreducible(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return RandomIrreducible(random.NextBytes);
    }

    private static Polynomial RandomIrreducible(SpanAction fill)
    {
        Span<byte> bytes = stackalloc byte[8];
        while (true)
        {
            fill(bytes);
            var value = BitConverter.ToUInt64(bytes);
            // Degree exactly 53, and a constant term (otherwise x divides it).
            value &= (1UL << (ChunkerDegree + 1)) - 1;
            value |= (1UL << ChunkerDegree) | 1;
            var candidate = new Polynomial(value);
            if (candidate.IsIrreducible())
            {
                return candidate;
            }
        }
    }

    private delegate void SpanAction(Span<byte> bytes);

    /// <summary>The polynomial in lower-case hex, as restic's config file holds it.</summary>
    public override string ToString() => Value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Parses lowercase or uppercase hex without a prefix, as in restic's config.</summary>
    public static Polynomial Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length is 0 or > 16 || !ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"'{hex}' is not a polynomial in hex.");
        }

        return new Polynomial(value);
    }

    /// <summary>a mod m over GF(2).</summary>
    internal static ulong Mod(ulong a, ulong m)
    {
        if (m == 0)
        {
            throw new DivideByZeroException();
        }

        var degreeM = 63 - BitOperations.LeadingZeroCount(m);
        while (a != 0)
        {
            var shift = 63 - BitOperations.LeadingZeroCount(a) - degreeM;
            if (shift < 0)
            {
                break;
            }

            a ^= m << shift;
        }

        return a;
    }

    /// <summary>a·b mod m over GF(2) for a, b already reduced modulo m.</summary>
    internal static ulong MulMod(ulong a, ulong b, ulong m)
    {
        var degreeM = 63 - BitOperations.LeadingZeroCount(m);
        var top = 1UL << degreeM;
        ulong result = 0;
        for (var bit = 63 - BitOperations.LeadingZeroCount(b); bit >= 0; bit--)
        {
            // result < 2^degree(m) ≤ 2^63, so doubling it cannot overflow.
            result <<= 1;
            if ((result & top) != 0)
            {
                result ^= m;
            }

            if (((b >> bit) & 1) != 0)
            {
                result ^= a;
            }
        }

        return result;
    }

    private static ulong Gcd(ulong a, ulong b)
    {
        while (b != 0)
        {
            (a, b) = (b, Mod(a, b));
        }

        return a;
    }
}
