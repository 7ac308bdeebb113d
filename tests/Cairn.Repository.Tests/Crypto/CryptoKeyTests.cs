using System.Security.Cryptography;
using Cairn.Repository.Crypto;
using Cairn.Repository.Internal.Crypto;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cairn.Repository.Tests.Crypto;

public sealed class CryptoKeyTests
{
    private static readonly CryptoKey Key = CryptoKey.NewRandom();

    [Fact]
    public void Round_trips_a_message()
    {
        var plaintext = "restic-compatible blob"u8.ToArray();
        var sealedData = Key.Encrypt(plaintext);

        sealedData.Should().HaveCount(plaintext.Length + CryptoKey.Overhead);
        var decrypted = new byte[plaintext.Length];
        Key.TryDecrypt(sealedData, decrypted).Should().BeTrue();
        decrypted.Should().Equal(plaintext);
    }

    [Fact]
    public void Round_trips_an_empty_message_as_IV_and_MAC_alone()
    {
        var sealedData = Key.Encrypt(ReadOnlySpan<byte>.Empty);
        sealedData.Should().HaveCount(CryptoKey.Overhead);
        Key.TryDecrypt(sealedData, Span<byte>.Empty).Should().BeTrue();
        sealedData[^1] ^= 1;
        Key.TryDecrypt(sealedData, Span<byte>.Empty).Should().BeFalse();
    }

    [Fact]
    public void Lays_out_IV_then_AES_CTR_ciphertext_then_Poly1305_AES_of_the_ciphertext()
    {
        var plaintext = RandomNumberGenerator.GetBytes(100);
        var sealedData = Key.Encrypt(plaintext);
        var iv = sealedData.AsSpan(0, 16);
        var ciphertext = sealedData.AsSpan(16, 100);

        var expectedCiphertext = new byte[100];
        AesCtr.Transform(Key.EncryptionKey, iv, plaintext, expectedCiphertext);
        ciphertext.ToArray().Should().Equal(expectedCiphertext);

        var expectedMac = new byte[16];
        Poly1305Aes.ComputeMac(Key.MacK, Key.MacR, iv, ciphertext, expectedMac);
        sealedData.AsSpan(116).ToArray().Should().Equal(expectedMac);
    }

    [Fact]
    public void Uses_a_fresh_IV_for_every_message()
    {
        var first = Key.Encrypt(new byte[10]);
        var second = Key.Encrypt(new byte[10]);
        first.AsSpan(0, 16).SequenceEqual(second.AsSpan(0, 16)).Should().BeFalse();
    }

    [Fact]
    public void Rejects_any_single_flipped_bit()
    {
        var plaintext = RandomNumberGenerator.GetBytes(40);
        var sealedData = Key.Encrypt(plaintext);
        var output = new byte[plaintext.Length];

        for (var bit = 0; bit < sealedData.Length * 8; bit++)
        {
            var damaged = sealedData.ToArray();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Key.TryDecrypt(damaged, output).Should().BeFalse($"bit {bit} was flipped");
        }

        output.Should().OnlyContain(b => b == 0, "nothing is decrypted from data that does not authenticate");
    }

    [Fact]
    public void Rejects_data_sealed_with_another_key()
    {
        var sealedData = CryptoKey.NewRandom().Encrypt(new byte[8]);
        Key.TryDecrypt(sealedData, new byte[8]).Should().BeFalse();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    public void Rejects_input_shorter_than_IV_and_MAC(int length)
    {
        Key.TryDecrypt(new byte[length], Span<byte>.Empty).Should().BeFalse();
    }

    [Fact]
    public void Decrypts_in_place_from_the_same_buffer()
    {
        var plaintext = RandomNumberGenerator.GetBytes(1000);
        var buffer = Key.Encrypt(plaintext);
        Key.TryDecrypt(buffer, buffer.AsSpan(0, plaintext.Length)).Should().BeTrue();
        buffer.AsSpan(0, plaintext.Length).ToArray().Should().Equal(plaintext);
    }

    [Fact]
    public void Encrypts_in_place_when_the_plaintext_sits_after_the_IV()
    {
        var plaintext = RandomNumberGenerator.GetBytes(1000);
        var buffer = new byte[plaintext.Length + CryptoKey.Overhead];
        plaintext.CopyTo(buffer, CryptoKey.IvSize);
        Key.Encrypt(buffer.AsSpan(CryptoKey.IvSize, plaintext.Length), buffer);

        var decrypted = new byte[plaintext.Length];
        Key.TryDecrypt(buffer, decrypted).Should().BeTrue();
        decrypted.Should().Equal(plaintext);
    }

    [Fact]
    public void Can_be_shared_by_threads_working_at_the_same_time()
    {
        var keys = new[] { Key, CryptoKey.NewRandom(), CryptoKey.NewRandom() };
        var failures = 0;
        Parallel.For(0, 400, i =>
        {
            var key = keys[i % keys.Length];
            var plaintext = RandomNumberGenerator.GetBytes(i * 97);
            var decrypted = new byte[plaintext.Length];
            if (!key.TryDecrypt(key.Encrypt(plaintext), decrypted) || !decrypted.AsSpan().SequenceEqual(plaintext))
            {
                Interlocked.Increment(ref failures);
            }
        });

        failures.Should().Be(0);
    }

    [Fact]
    public void Splits_derived_bytes_into_AES_key_then_k_then_r()
    {
        var derived = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var key = CryptoKey.FromDerivedBytes(derived);
        key.EncryptionKey.ToArray().Should().Equal(derived[..32]);
        key.MacK.ToArray().Should().Equal(derived[32..48]);
        key.MacR.ToArray().Should().Equal(derived[48..]);
    }

    [Fact]
    public void Refuses_output_buffers_of_the_wrong_size()
    {
        var act = () => Key.Encrypt(new byte[10], new byte[41]);
        act.Should().Throw<ArgumentException>();
    }

    [Property(MaxTest = 200)]
    public Property Decrypting_what_was_encrypted_gives_it_back() =>
        Prop.ForAll(
            Gen.Choose(0, 40_000).SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n)).ToArbitrary(),
            plaintext =>
            {
                var sealedData = Key.Encrypt(plaintext);
                var decrypted = new byte[plaintext.Length];
                return Key.TryDecrypt(sealedData, decrypted) && decrypted.AsSpan().SequenceEqual(plaintext);
            });
}
