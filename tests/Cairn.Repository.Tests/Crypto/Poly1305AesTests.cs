using System.Numerics;
using System.Security.Cryptography;
using Cairn.Repository.Crypto;
using Cairn.Repository.Internal.Crypto;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cairn.Repository.Tests.Crypto;

public sealed class Poly1305AesTests
{
    // D. J. Bernstein, "The Poly1305-AES message-authentication code", appendix B: message, r, k, nonce, MAC.
    public static TheoryData<string, string, string, string, string> PaperVectors => new()
    {
        { "f3f6", "851fc40c3467ac0be05cc20404f3f700", "ec074c835580741701425b623235add6", "fb447350c4e868c52ac3275cf9d4327e", "f4c633c3044fc145f84f335cb81953de" },
        { "", "a0f3080000f46400d0c7e9076c834403", "75deaa25c09f208e1dc4ce6b5cad3fbf", "61ee09218d29b0aaed7e154a2c5509cc", "dd3fab2251f11ac759f0887129cc2ee7" },
        {
            "663cea190ffb83d89593f3f476b6bc24d7e679107ea26adb8caf6652d0656136",
            "48443d0bb0d21109c89a100b5ce2c208", "6acb5f61a7176dd320c5c1eb2edcdc74", "ae212a55399729595dea458bc621ff0e", "0ee1c16bb73f0f4fd19881753c01cdbe"
        },
        {
            "ab0812724a7f1e342742cbed374d94d136c6b8795d45b3819830f2c04491faf0990c62e48b8018b2c3e4a0fa3134cb67fa83e158c994d961c4cb21095c1bf9",
            "12976a08c4426d0ce8a82407c4f48207", "e1a5668a4d5b66a5f68cc5424ed5982d", "9ae831e743978d3a23527c7128149e3a", "5154ad0d2cb26e01274fc51148491f1b"
        },
    };

    [Theory]
    [MemberData(nameof(PaperVectors))]
    public void Computes_the_MACs_of_the_Poly1305_AES_paper(string message, string r, string k, string nonce, string expected)
    {
        var mac = new byte[16];
        Poly1305Aes.ComputeMac(Convert.FromHexString(k), Convert.FromHexString(r), Convert.FromHexString(nonce), Convert.FromHexString(message), mac);
        Convert.ToHexStringLower(mac).Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(PaperVectors))]
    public void Verifies_the_MACs_of_the_paper_and_rejects_any_single_bit_flip(string message, string r, string k, string nonce, string expected)
    {
        var (kBytes, rBytes, nonceBytes, messageBytes, mac) =
            (Convert.FromHexString(k), Convert.FromHexString(r), Convert.FromHexString(nonce), Convert.FromHexString(message), Convert.FromHexString(expected));
        Poly1305Aes.Verify(kBytes, rBytes, nonceBytes, messageBytes, mac).Should().BeTrue();

        for (var bit = 0; bit < 128; bit++)
        {
            var flipped = mac.ToArray();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Poly1305Aes.Verify(kBytes, rBytes, nonceBytes, messageBytes, flipped).Should().BeFalse();
        }
    }

    [Fact]
    public void Computes_the_RFC_8439_section_2_5_2_tag_from_r_and_a_known_s()
    {
        var key = Convert.FromHexString("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        var tag = new byte[16];
        Poly1305.ComputeTag(key.AsSpan(0, 16), key.AsSpan(16, 16), "Cryptographic Forum Research Group"u8, tag);
        Convert.ToHexStringLower(tag).Should().Be("a8061dc1305136c6c22b8baf0c0127a9");
    }

    [Fact]
    public void Rejects_a_MAC_of_the_wrong_length()
    {
        var (k, r, nonce) = (new byte[16], new byte[16], new byte[16]);
        var mac = new byte[16];
        Poly1305Aes.ComputeMac(k, r, nonce, "abc"u8, mac);
        Poly1305Aes.Verify(k, r, nonce, "abc"u8, mac.AsSpan(0, 15)).Should().BeFalse();
    }

    [Property(MaxTest = 300)]
    public Property Agrees_with_a_big_integer_evaluation_of_the_polynomial() =>
        Prop.ForAll(
            Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n)).ToArbitrary(),
            message =>
            {
                var r = RandomNumberGenerator.GetBytes(16);
                var s = RandomNumberGenerator.GetBytes(16);
                var tag = new byte[16];
                Poly1305.ComputeTag(r, s, message, tag);
                return tag.AsSpan().SequenceEqual(ReferenceTag(r, s, message));
            });

    [Fact]
    public void Handles_accumulators_near_the_modulus()
    {
        // All-ones blocks and r at its clamped maximum push the limbs to their bounds.
        var r = Convert.FromHexString("ffffffffffffffffffffffffffffffff");
        var s = Convert.FromHexString("ffffffffffffffffffffffffffffffff");
        foreach (var length in new[] { 16, 17, 31, 32, 64, 1000 })
        {
            var message = Enumerable.Repeat((byte)0xff, length).ToArray();
            var tag = new byte[16];
            Poly1305.ComputeTag(r, s, message, tag);
            tag.Should().Equal(ReferenceTag(r, s, message), $"for {length} bytes of 0xff");
        }
    }

    /// <summary>The definition from the paper, evaluated with arbitrary-precision integers.</summary>
    private static byte[] ReferenceTag(byte[] r, byte[] s, byte[] message)
    {
        var p = (BigInteger.One << 130) - 5;
        var clamped = r.ToArray();
        foreach (var i in new[] { 3, 7, 11, 15 })
        {
            clamped[i] &= 15;
        }

        foreach (var i in new[] { 4, 8, 12 })
        {
            clamped[i] &= 252;
        }

        var rValue = new BigInteger(clamped, isUnsigned: true);
        var h = BigInteger.Zero;
        for (var offset = 0; offset < message.Length; offset += 16)
        {
            var chunk = message.AsSpan(offset, Math.Min(16, message.Length - offset));
            var block = new byte[chunk.Length + 1];
            chunk.CopyTo(block);
            block[^1] = 1;
            h = (h + new BigInteger(block, isUnsigned: true)) * rValue % p;
        }

        var tag = (h + new BigInteger(s, isUnsigned: true)) % (BigInteger.One << 128);
        var bytes = new byte[16];
        tag.TryWriteBytes(bytes, out _, isUnsigned: true).Should().BeTrue();
        return bytes;
    }
}
