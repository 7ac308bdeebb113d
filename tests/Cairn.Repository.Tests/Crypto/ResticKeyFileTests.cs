using System.Text;
using System.Text.Json;
using Cairn.Repository.Crypto;
using Cairn.Repository.Internal.Crypto;
using Cairn.Testing.Trees;

namespace Cairn.Repository.Tests.Crypto;

/// <summary>restic 0.14 is the judge: its key files and config must open with our scrypt, AES-CTR and Poly1305-AES.</summary>
public sealed class ResticKeyFileTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly Scratch _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Opens_a_key_file_written_by_restic_and_its_master_key_opens_the_config()
    {
        var restic = new ResticCommand(Path.Combine(_directory.Path, "repo"), Password);
        await restic.RunAsync("init");
        var resticConfig = JsonDocument.Parse(await restic.RunAsync("cat", "config")).RootElement;

        var keyFile = Directory.GetFiles(Path.Combine(restic.Repository, "keys")).Should().ContainSingle().Subject;
        var json = JsonDocument.Parse(await File.ReadAllBytesAsync(keyFile, TestContext.Current.CancellationToken)).RootElement;
        json.GetProperty("kdf").GetString().Should().Be("scrypt");

        var derived = Scrypt.DeriveKey(
            Encoding.UTF8.GetBytes(Password),
            Convert.FromBase64String(json.GetProperty("salt").GetString()!),
            json.GetProperty("N").GetInt32(),
            json.GetProperty("r").GetInt32(),
            json.GetProperty("p").GetInt32(),
            64);
        var userKey = CryptoKey.FromDerivedBytes(derived);
        var data = Convert.FromBase64String(json.GetProperty("data").GetString()!);
        var plaintext = new byte[data.Length - CryptoKey.Overhead];
        userKey.TryDecrypt(data, plaintext).Should().BeTrue("the key derived from the right password authenticates restic's key data");

        var master = JsonDocument.Parse(plaintext).RootElement;
        var masterKey = new CryptoKey(
            Convert.FromBase64String(master.GetProperty("encrypt").GetString()!),
            Convert.FromBase64String(master.GetProperty("mac").GetProperty("k").GetString()!),
            Convert.FromBase64String(master.GetProperty("mac").GetProperty("r").GetString()!));

        // The repository config is sealed with the master key (uncompressed, also in version 2).
        var sealedConfig = await File.ReadAllBytesAsync(Path.Combine(restic.Repository, "config"), TestContext.Current.CancellationToken);
        var config = new byte[sealedConfig.Length - CryptoKey.Overhead];
        masterKey.TryDecrypt(sealedConfig, config).Should().BeTrue();
        var ourConfig = JsonDocument.Parse(config).RootElement;
        ourConfig.GetProperty("id").GetString().Should().Be(resticConfig.GetProperty("id").GetString());
        ourConfig.GetProperty("chunker_polynomial").GetString().Should().Be(resticConfig.GetProperty("chunker_polynomial").GetString());
    }

    [Fact]
    public async Task Does_not_authenticate_a_restic_key_file_with_a_wrong_password()
    {
        var restic = new ResticCommand(Path.Combine(_directory.Path, "repo"), Password);
        await restic.RunAsync("init");
        var keyFile = Directory.GetFiles(Path.Combine(restic.Repository, "keys")).Single();
        var json = JsonDocument.Parse(await File.ReadAllBytesAsync(keyFile, TestContext.Current.CancellationToken)).RootElement;

        var derived = Scrypt.DeriveKey(
            "wrong password"u8,
            Convert.FromBase64String(json.GetProperty("salt").GetString()!),
            json.GetProperty("N").GetInt32(),
            json.GetProperty("r").GetInt32(),
            json.GetProperty("p").GetInt32(),
            64);
        var data = Convert.FromBase64String(json.GetProperty("data").GetString()!);
        CryptoKey.FromDerivedBytes(derived).TryDecrypt(data, new byte[data.Length - CryptoKey.Overhead]).Should().BeFalse();
    }
}
