using System.Security.Cryptography;
using Cairn.Repository.Crypto;
using Cairn.Repository.Internal.Crypto;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cairn.Repository.Tests.Crypto;

public sealed class AesCtrTests
{
    // NIST SP 800-38A, F.5.5 CTR-AES256.Encrypt.
    private static readonly byte[] NistKey = Convert.FromHexString("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
    private static readonly byte[] NistCounter = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    private static readonly byte[] NistPlaintext = Convert.FromHexString(
        "6bc1bee22e409f96e93d7e117393172a" + "ae2d8a571e03ac9c9eb76fac45af8e51" +
        "30c81c46a35ce411e5fbc1191a0a52ef" + "f69f2445df4f9b17ad2b417be66c3710");
    private static readonly byte[] NistCiphertext = Convert.FromHexString(
        "601ec313775789a5b7a7f504bbf3d228" + "f443e3ca4d62b59aca84e990cacaf5c5" +
        "2b0930daa23de94ce87017ba2d84988d" + "dfc9c58db67aada613c2dd08457941a6");

    [Fact]
    public void Encrypts_the_NIST_SP_800_38A_CTR_AES256_vectors()
    {
        var output = new byte[NistPlaintext.Length];
        AesCtr.Transform(NistKey, NistCounter, NistPlaintext, output);
        output.Should().Equal(NistCiphertext);
    }

    [Fact]
    public void Decrypts_the_NIST_vectors_in_place()
    {
        var buffer = NistCiphertext.ToArray();
        AesCtr.Transform(NistKey, NistCounter, buffer, buffer);
        buffer.Should().Equal(NistPlaintext);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(63)]
    public void Handles_partial_final_blocks_as_a_prefix_of_the_keystream(int length)
    {
        var output = new byte[length];
        AesCtr.Transform(NistKey, NistCounter, NistPlaintext.AsSpan(0, length), output);
        output.Should().Equal(NistCiphertext.Take(length));
    }

    [Theory]
    [InlineData("0000000000000000fffffffffffffffe")] // the low 64 bits wrap into the high half
    [InlineData("fffffffffffffffffffffffffffffffe")] // the whole 128-bit counter wraps to zero
    [InlineData("00000000000000000000000000000000")]
    [InlineData("0123456789abcdeffffffffffffffff0")]
    public void Increments_the_IV_as_a_big_endian_128_bit_counter(string ivHex)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var iv = Convert.FromHexString(ivHex);
        var plaintext = RandomNumberGenerator.GetBytes(16 * 40 + 5);

        var output = new byte[plaintext.Length];
        AesCtr.Transform(key, iv, plaintext, output);

        output.Should().Equal(ReferenceCtr(key, iv, plaintext));
    }

    [Fact]
    public void Wraps_at_2_to_the_128_into_the_all_zero_counter_block()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var zeros = new byte[32];
        var output = new byte[32];
        AesCtr.Transform(key, Convert.FromHexString("ffffffffffffffffffffffffffffffff"), zeros, output);

        output.AsSpan(0, 16).ToArray().Should().Equal(EncryptBlock(key, Convert.FromHexString("ffffffffffffffffffffffffffffffff")));
        output.AsSpan(16, 16).ToArray().Should().Equal(EncryptBlock(key, new byte[16]));
    }

    [Fact]
    public void Carries_from_the_low_64_bits_into_the_high_64_bits()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var output = new byte[32];
        AesCtr.Transform(key, Convert.FromHexString("0000000000000007ffffffffffffffff"), new byte[32], output);

        output.AsSpan(16, 16).ToArray().Should().Equal(EncryptBlock(key, Convert.FromHexString("00000000000000080000000000000000")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00000000000000aaffffffffffffec77")] // the low half wraps 5000 blocks in, inside a later batch
    [InlineData("ffffffffffffffffffffffffffffd000")] // the whole counter wraps 12288 blocks in
    public void Produces_one_continuous_keystream_across_internal_batches(string? ivHex)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var iv = ivHex is null ? RandomNumberGenerator.GetBytes(16) : Convert.FromHexString(ivHex);
        var plaintext = RandomNumberGenerator.GetBytes(300_003);

        var output = new byte[plaintext.Length];
        AesCtr.Transform(key, iv, plaintext, output);

        output.Should().Equal(ReferenceCtr(key, iv, plaintext));
    }

    [Fact]
    public void Refuses_partially_overlapping_buffers()
    {
        var buffer = new byte[64];
        var act = () => AesCtr.Transform(NistKey, NistCounter, buffer.AsSpan(0, 32), buffer.AsSpan(16, 32));
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Refuses_keys_that_are_not_32_bytes()
    {
        var act = () => AesCtr.Transform(new byte[16], NistCounter, NistPlaintext, new byte[64]);
        act.Should().Throw<ArgumentException>();
    }

    [Property(MaxTest = 100)]
    public Property Is_its_own_inverse_for_any_length() =>
        Prop.ForAll(
            Gen.Choose(0, 40_000).SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n)).ToArbitrary(),
            plaintext =>
            {
                var key = RandomNumberGenerator.GetBytes(32);
                var iv = RandomNumberGenerator.GetBytes(16);
                var ciphertext = new byte[plaintext.Length];
                AesCtr.Transform(key, iv, plaintext, ciphertext);
                var roundTrip = new byte[plaintext.Length];
                AesCtr.Transform(key, iv, ciphertext, roundTrip);
                return roundTrip.AsSpan().SequenceEqual(plaintext);
            });

    /// <summary>CTR mode built block by block from ECB and an explicitly incremented counter.</summary>
    private static byte[] ReferenceCtr(byte[] key, byte[] iv, byte[] plaintext)
    {
        var counter = new System.Numerics.BigInteger(iv, isUnsigned: true, isBigEndian: true);
        var modulus = System.Numerics.BigInteger.One << 128;
        var output = new byte[plaintext.Length];
        for (var offset = 0; offset < plaintext.Length; offset += 16)
        {
            var block = new byte[16];
            var bytes = counter.ToByteArray(isUnsigned: true, isBigEndian: true);
            bytes.CopyTo(block, 16 - bytes.Length);
            var keystream = EncryptBlock(key, block);
            for (var i = 0; i < 16 && offset + i < plaintext.Length; i++)
            {
                output[offset + i] = (byte)(plaintext[offset + i] ^ keystream[i]);
            }

            counter = (counter + 1) % modulus;
        }

        return output;
    }

    private static byte[] EncryptBlock(byte[] key, byte[] block)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        return aes.EncryptEcb(block, PaddingMode.None);
    }
}
