using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Cairn.Repository.Crypto;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Crypto;
using Cairn.Repository.Internal.Format;

namespace Cairn.Repository.Tests.Crypto;

/// <summary>
/// The known answers the browser's reader is tested against too (tests/vectors/known-answers.json, read by
/// src/Cairn.Space/BrowserRestore/tests): both implementations must agree with the same file.
/// </summary>
public sealed class SharedKnownAnswerTests
{
    private static readonly JsonElement s_known = Load();

    private static JsonElement Repository => s_known.GetProperty("repository");

    private static JsonElement Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cairn.slnx")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Cairn.slnx not found above the tests"),
            "tests", "vectors", "known-answers.json");
        return JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(path));
    }

    private static byte[] RepositoryFile(string path) => Convert.FromBase64String(Repository.GetProperty("files").GetProperty(path).GetString()!);

    private static string S(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    [Fact]
    public void Scrypt_gives_the_shared_answers()
    {
        foreach (var v in s_known.GetProperty("scrypt").EnumerateArray())
        {
            var key = Scrypt.DeriveKey(Encoding.UTF8.GetBytes(S(v, "password")), Encoding.UTF8.GetBytes(S(v, "salt")),
                v.GetProperty("N").GetInt32(), v.GetProperty("r").GetInt32(), v.GetProperty("p").GetInt32(), 64);
            Convert.ToHexStringLower(key).Should().Be(S(v, "key"));
        }
    }

    [Fact]
    public void Poly1305_AES_gives_the_shared_answers()
    {
        foreach (var v in s_known.GetProperty("poly1305Aes").EnumerateArray())
        {
            var mac = new byte[16];
            Poly1305Aes.ComputeMac(Convert.FromHexString(S(v, "k")), Convert.FromHexString(S(v, "r")), Convert.FromHexString(S(v, "nonce")),
                Convert.FromHexString(S(v, "message")), mac);
            Convert.ToHexStringLower(mac).Should().Be(S(v, "mac"));
        }
    }

    private static CryptoKey MasterKey()
    {
        var keyPath = Repository.GetProperty("files").EnumerateObject().Single(f => f.Name.StartsWith("keys/", StringComparison.Ordinal)).Name;
        var keyFile = JsonSerializer.Deserialize<JsonElement>(RepositoryFile(keyPath));
        var userKey = CryptoKey.FromDerivedBytes(Scrypt.DeriveKey(Encoding.UTF8.GetBytes(S(Repository, "password")),
            Convert.FromBase64String(S(keyFile, "salt")), keyFile.GetProperty("N").GetInt32(), keyFile.GetProperty("r").GetInt32(),
            keyFile.GetProperty("p").GetInt32(), CryptoKey.DerivedSize));
        var plain = Decrypt(userKey, Convert.FromBase64String(S(keyFile, "data")));
        var master = JsonSerializer.Deserialize<JsonElement>(plain);
        var expected = Repository.GetProperty("masterKey");
        S(master, "encrypt").Should().Be(S(expected, "encrypt"));
        S(master.GetProperty("mac"), "k").Should().Be(S(expected.GetProperty("mac"), "k"));
        // restic shows r clamped (as Poly1305 uses it); the key file may hold it unclamped.
        Clamp(Convert.FromBase64String(S(master.GetProperty("mac"), "r"))).Should().Equal(Convert.FromBase64String(S(expected.GetProperty("mac"), "r")));
        return new CryptoKey(Convert.FromBase64String(S(master, "encrypt")), Convert.FromBase64String(S(master.GetProperty("mac"), "k")),
            Convert.FromBase64String(S(master.GetProperty("mac"), "r")));
    }

    private static byte[] Clamp(byte[] r)
    {
        foreach (var i in new[] { 3, 7, 11, 15 })
        {
            r[i] &= 15;
        }

        foreach (var i in new[] { 4, 8, 12 })
        {
            r[i] &= 252;
        }

        return r;
    }

    private static byte[] Decrypt(CryptoKey key, ReadOnlySpan<byte> sealedBytes)
    {
        var plain = new byte[sealedBytes.Length - CryptoKey.Overhead];
        key.TryDecrypt(sealedBytes, plain).Should().BeTrue("the MAC matches");
        return plain;
    }

    [Fact]
    public void The_pack_header_decodes_to_the_shared_entries()
    {
        var pack = RepositoryFile(S(Repository, "pack"));
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(pack.AsSpan(pack.Length - 4));
        var entries = PackHeader.Decode(Decrypt(MasterKey(), pack.AsSpan(pack.Length - 4 - length, length)));
        var expected = Repository.GetProperty("packHeader").EnumerateArray().ToList();
        entries.Should().HaveCount(expected.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i].Id.ToString().Should().Be(S(expected[i], "id"));
            entries[i].Type.ToString().ToLowerInvariant().Should().Be(S(expected[i], "type"));
            entries[i].Offset.Should().Be(expected[i].GetProperty("offset").GetUInt32());
            entries[i].Length.Should().Be(expected[i].GetProperty("length").GetUInt32());
            entries[i].UncompressedLength.Should().Be(expected[i].TryGetProperty("uncompressed_length", out var u) ? u.GetUInt32() : 0);
        }
    }

    [Fact]
    public void The_tree_blob_decrypts_and_decompresses_to_the_shared_plaintext()
    {
        var pack = RepositoryFile(S(Repository, "pack"));
        var tree = Repository.GetProperty("tree");
        var entry = Repository.GetProperty("packHeader").EnumerateArray().Single(e => S(e, "id") == S(tree, "id"));
        var plain = Decrypt(MasterKey(), pack.AsSpan(entry.GetProperty("offset").GetInt32(), entry.GetProperty("length").GetInt32()));
        if (entry.TryGetProperty("uncompressed_length", out _))
        {
            plain = Zstd.Decompress(plain);
        }

        Encoding.UTF8.GetString(plain).Should().Be(S(tree, "plaintext"));
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(plain)).Should().Be(S(tree, "id"));
    }
}
