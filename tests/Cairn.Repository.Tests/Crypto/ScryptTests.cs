using System.Text;
using Cairn.Repository.Crypto;
using Cairn.Repository.Internal.Crypto;

namespace Cairn.Repository.Tests.Crypto;

public sealed class ScryptTests
{
    // RFC 7914 section 12 (the N = 1048576 vector needs 1 GiB and is left out).
    [Theory]
    [InlineData("", "", 16, 1, 1,
        "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")]
    [InlineData("password", "NaCl", 1024, 8, 16,
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")]
    [InlineData("pleaseletmein", "SodiumChloride", 16384, 8, 1,
        "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")]
    public void Derives_the_RFC_7914_test_vectors(string password, string salt, int n, int r, int p, string expected)
    {
        var key = Scrypt.DeriveKey(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), n, r, p, 64);
        Convert.ToHexStringLower(key).Should().Be(expected);
    }

    [Fact]
    public void Derives_any_length_as_a_prefix_of_the_PBKDF2_output()
    {
        var full = Scrypt.DeriveKey("pw"u8, "salt"u8, 16, 1, 3, 100);
        Scrypt.DeriveKey("pw"u8, "salt"u8, 16, 1, 3, 7).Should().Equal(full.Take(7));
    }

    [Fact]
    public void Gives_different_keys_for_different_lane_counts()
    {
        Scrypt.DeriveKey("pw"u8, "salt"u8, 16, 2, 1, 32).Should().NotEqual(Scrypt.DeriveKey("pw"u8, "salt"u8, 16, 2, 2, 32));
    }

    [Theory]
    [InlineData(0, 8, 1)]
    [InlineData(1, 8, 1)]
    [InlineData(1000, 8, 1)]
    [InlineData(1024, 0, 1)]
    [InlineData(1024, 8, 0)]
    public void Refuses_invalid_parameters(int n, int r, int p)
    {
        var act = () => Scrypt.DeriveKey("pw"u8, "salt"u8, n, r, p, 64);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
