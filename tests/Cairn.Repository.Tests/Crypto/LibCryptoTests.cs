using System.Security.Cryptography;
using Cairn.Repository.Crypto;
using Cairn.Repository.Internal.Crypto;

namespace Cairn.Repository.Tests.Crypto;

/// <summary>OpenSSL's AES-256-CTR and Poly1305 give exactly what the managed implementations give.</summary>
public sealed class LibCryptoTests
{
    public LibCryptoTests()
    {
        // Debian ships libcrypto.so.3 with .NET's own dependencies; its absence here would hide the fast path.
        LibCrypto.IsAvailable.Should().BeTrue("OpenSSL 3 is on this machine");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(4097)]
    [InlineData(1 << 20)]
    public void AesCtr_matches_the_managed_counter_mode(int length)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var plaintext = RandomNumberGenerator.GetBytes(length);
        foreach (var ivHex in new[] { "00000000000000000000000000000000", "0000000000000007fffffffffffffff0", "fffffffffffffffffffffffffffffff0" })
        {
            var iv = Convert.FromHexString(ivHex);
            var expected = new byte[length];
            using (var aes = Aes.Create())
            {
                aes.Key = key;
                AesCtr.Transform(aes, iv, plaintext, expected);
            }

            var actual = new byte[length];
            LibCrypto.AesCtrTransform(key, iv, plaintext, actual);
            actual.Should().Equal(expected, $"IV {ivHex}");

            // In place, and with another key in between (the context caches the last key).
            LibCrypto.AesCtrTransform(RandomNumberGenerator.GetBytes(32), iv, plaintext, new byte[length]);
            var buffer = (byte[])plaintext.Clone();
            LibCrypto.AesCtrTransform(key, iv, buffer, buffer);
            buffer.Should().Equal(expected);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(33)]
    [InlineData(1000)]
    [InlineData(1 << 20)]
    public void Poly1305_matches_the_managed_authenticator(int length)
    {
        for (var round = 0; round < 8; round++)
        {
            var r = RandomNumberGenerator.GetBytes(16);
            var s = RandomNumberGenerator.GetBytes(16);
            if (round == 0)
            {
                // Unclamped bits all set: the library must clamp r as the managed code does.
                r.AsSpan().Fill(0xff);
            }

            var message = RandomNumberGenerator.GetBytes(length);
            var expected = new byte[16];
            Poly1305.ComputeTag(r, s, message, expected);
            var actual = new byte[16];
            LibCrypto.Poly1305Tag(r, s, message, actual);
            actual.Should().Equal(expected);
        }
    }
}
