using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Cairn.Repository.Internal.Crypto;

/// <summary>
/// The Poly1305 one-time authenticator: tag = ((sum of 16-byte blocks times powers of r) mod 2^130-5 + s) mod 2^128.
/// The accumulator is held in two 64-bit limbs plus a few high bits, and multiplied with 64×64→128-bit products.
/// </summary>
public static class Poly1305
{
    /// <summary>Bytes of a Poly1305 one-time key half.</summary>
    public const int KeySize = 16;
    /// <summary>Bytes of a tag.</summary>
    public const int TagSize = 16;
    private const int BlockSize = 16;

    /// <summary>
    /// Computes the tag of <paramref name="message"/> with the key r (clamped here) and the 16-byte s.
    /// A one-time authenticator: never use the same (r, s) for two messages.
    /// </summary>
    public static void ComputeTag(ReadOnlySpan<byte> r16, ReadOnlySpan<byte> s16, ReadOnlySpan<byte> message, Span<byte> tag16)
    {
        if (r16.Length != KeySize || s16.Length != KeySize)
        {
            throw new ArgumentException($"r and s must be {KeySize} bytes each.", nameof(r16));
        }

        if (tag16.Length < TagSize)
        {
            throw new ArgumentException($"The tag buffer must hold {TagSize} bytes.", nameof(tag16));
        }

        // Clamping as in the paper: r3, r7, r11, r15 below 16 and r4, r8, r12 multiples of 4.
        var r0 = BinaryPrimitives.ReadUInt64LittleEndian(r16) & 0x0FFF_FFFC_0FFF_FFFFUL;
        var r1 = BinaryPrimitives.ReadUInt64LittleEndian(r16[8..]) & 0x0FFF_FFFC_0FFF_FFFCUL;

        ulong h0 = 0, h1 = 0, h2 = 0;
        while (message.Length >= BlockSize)
        {
            var m0 = BinaryPrimitives.ReadUInt64LittleEndian(message);
            var m1 = BinaryPrimitives.ReadUInt64LittleEndian(message[8..]);
            AddBlock(ref h0, ref h1, ref h2, m0, m1, 1);
            MultiplyReduce(ref h0, ref h1, ref h2, r0, r1);
            message = message[BlockSize..];
        }

        if (!message.IsEmpty)
        {
            // A short final block is padded with a single 1 byte and zeros, and gets no 2^128 bit.
            Span<byte> last = stackalloc byte[BlockSize];
            last.Clear();
            message.CopyTo(last);
            last[message.Length] = 1;
            AddBlock(ref h0, ref h1, ref h2, BinaryPrimitives.ReadUInt64LittleEndian(last), BinaryPrimitives.ReadUInt64LittleEndian(last[8..]), 0);
            MultiplyReduce(ref h0, ref h1, ref h2, r0, r1);
        }

        // h < 2p here, so one conditional subtraction of p finishes the reduction: h - p = h + 5 - 2^130,
        // whose low 128 bits are those of h + 5. Selected with a mask, without a branch.
        var g0 = h0 + 5;
        var c = g0 < 5 ? 1UL : 0UL;
        var g1 = h1 + c;
        c = g1 < c ? 1UL : 0UL;
        var g2 = h2 + c;
        var useG = 0UL - (g2 >> 2 != 0 ? 1UL : 0UL);
        h0 = (h0 & ~useG) | (g0 & useG);
        h1 = (h1 & ~useG) | (g1 & useG);

        var s0 = BinaryPrimitives.ReadUInt64LittleEndian(s16);
        var s1 = BinaryPrimitives.ReadUInt64LittleEndian(s16[8..]);
        var t0 = h0 + s0;
        var t1 = h1 + s1 + (t0 < s0 ? 1UL : 0UL);
        BinaryPrimitives.WriteUInt64LittleEndian(tag16, t0);
        BinaryPrimitives.WriteUInt64LittleEndian(tag16[8..], t1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddBlock(ref ulong h0, ref ulong h1, ref ulong h2, ulong m0, ulong m1, ulong highBit)
    {
        h0 += m0;
        var c = h0 < m0 ? 1UL : 0UL;
        var t = h1 + c;
        c = t < c ? 1UL : 0UL;
        h1 = t + m1;
        c += h1 < m1 ? 1UL : 0UL;
        h2 += c + highBit;
    }

    /// <summary>h = h·r, partially reduced modulo 2^130 - 5 so that h &lt; 2^130 + 2^128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyReduce(ref ulong h0, ref ulong h1, ref ulong h2, ulong r0, ulong r1)
    {
        // h < 2^131 and r < 2^124 (clamped), so the middle sums stay below 2^126 and h2·r below 2^63.
        var p0High = Math.BigMul(h0, r0, out var p0Low);
        var aHigh = Math.BigMul(h0, r1, out var aLow);
        var bHigh = Math.BigMul(h1, r0, out var bLow);
        var cHigh = Math.BigMul(h1, r1, out var cLow);

        // p1 = h0·r1 + h1·r0, p2 = h1·r1 + h2·r0, p3 = h2·r1 (no overflow out of 128 bits, see above).
        var p1Low = aLow + bLow;
        var p1High = aHigh + bHigh + (p1Low < aLow ? 1UL : 0UL);
        var d = h2 * r0;
        var p2Low = cLow + d;
        var p2High = cHigh + (p2Low < d ? 1UL : 0UL);
        var p3 = h2 * r1;

        // m = p0 + p1·2^64 + p2·2^128 + p3·2^192 as four 64-bit words.
        var m1 = p0High + p1Low;
        var carry = m1 < p1Low ? 1UL : 0UL;
        var t = p1High + carry;
        var m2 = t + p2Low;
        carry = m2 < p2Low ? 1UL : 0UL;
        var m3 = p2High + p3 + carry;

        // Bits from 2^130 up (c = (m3:m2) >> 2) fold back as 5c = 4c + c, since 2^130 ≡ 5 (mod p).
        var c4Low = m2 & ~3UL;
        h0 = p0Low;
        h1 = m1;
        h2 = m2 & 3;
        Add130(ref h0, ref h1, ref h2, c4Low, m3);
        Add130(ref h0, ref h1, ref h2, (c4Low >> 2) | (m3 << 62), m3 >> 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add130(ref ulong h0, ref ulong h1, ref ulong h2, ulong a0, ulong a1)
    {
        var s0 = h0 + a0;
        var c = s0 < a0 ? 1UL : 0UL;
        var s1 = h1 + a1;
        var c1 = s1 < a1 ? 1UL : 0UL;
        var s1c = s1 + c;
        c1 += s1c < c ? 1UL : 0UL;
        h0 = s0;
        h1 = s1c;
        h2 += c1;
    }
}
