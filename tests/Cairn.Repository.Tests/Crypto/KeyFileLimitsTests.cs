using System.Text;
using Cairn.Repository.Format;
using Cairn.Repository.Json;
using Cairn.Storage;

namespace Cairn.Repository.Tests.Crypto;

/// <summary>
/// A key file's scrypt parameters and fields are its author's choice (found by fuzzing the key target): unusable or
/// excessive ones name the key file as corrupted at once, before any key derivation, instead of an
/// ArgumentOutOfRangeException from scrypt, a NullReferenceException, or gigabytes of memory.
/// </summary>
public sealed class KeyFileLimitsTests
{
    private const string Password = "key limits password";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1824, 8, 1, "unusable scrypt parameters N=1824")]          // not a power of two
    [InlineData(1, 8, 1, "unusable scrypt parameters N=1,")]
    [InlineData(1024, 0, 1, "unusable scrypt parameters N=1024, r=0")]
    [InlineData(1024, 8, 0, "unusable scrypt parameters N=1024, r=8, p=0")]
    [InlineData(1 << 24, 8, 1, "at most 1024 MiB")]                        // 16 GiB of memory
    [InlineData(1 << 30, 1 << 30, 1, "at most 1024 MiB")]                  // 128·r·N overflows a long
    [InlineData(32768, 8, 4096, "MiB of work")]                            // 32 MiB × 4096 of work
    public async Task A_key_file_asking_scrypt_for_unusable_or_excessive_parameters_is_named_as_corrupted(int n, int r, int p, string reason)
    {
        var (store, name, file) = await RepositoryWithOneKeyAsync();
        await ReplaceAsync(store, name, file with { N = n, R = r, P = p });

        var open = () => KeyRing.OpenAsync(store, Password, Ct);

        var thrown = await open.Should().ThrowAsync<CorruptedDataException>();
        thrown.Which.Message.Should().Contain(name.ToString()).And.Contain(reason);
    }

    [Fact]
    public async Task A_key_file_without_data_or_with_another_kdf_is_named_as_corrupted()
    {
        var (store, name, _) = await RepositoryWithOneKeyAsync();
        await ReplaceRawAsync(store, name, """{"kdf":"scrypt","N":1024,"r":8,"p":1,"salt":"AAAA","data":null}""");
        (await ((Func<Task>)(() => KeyRing.OpenAsync(store, Password, Ct))).Should().ThrowAsync<CorruptedDataException>())
            .Which.Message.Should().Contain("no salt or no data");

        await ReplaceRawAsync(store, name, """{"kdf":"argon2","N":1024,"r":8,"p":1,"salt":"AAAA","data":"AAAA"}""");
        (await ((Func<Task>)(() => KeyRing.OpenAsync(store, Password, Ct))).Should().ThrowAsync<CorruptedDataException>())
            .Which.Message.Should().Contain("unsupported key derivation \"argon2\"");
    }

    [Fact]
    public async Task Keys_with_restic_sized_parameters_still_open()
    {
        var store = new InMemoryObjectStore();
        await using var repository = await ResticRepository.InitAsync(store, Password, new RepositoryOptions { Kdf = new KdfParameters(1024, 8, 9) }, Ct);

        var (_, keyId) = await KeyRing.OpenAsync(store, Password, Ct);

        keyId.Should().Be(repository.KeyId);
    }

    private static async Task<(InMemoryObjectStore Store, ObjectName Name, KeyFile File)> RepositoryWithOneKeyAsync()
    {
        var store = new InMemoryObjectStore();
        await using (await ResticRepository.InitAsync(store, Password, new RepositoryOptions { Kdf = KdfParameters.Fast }, Ct))
        {
        }

        var name = (await store.ListAllAsync(ObjectKind.Key, Ct)).Single().Name;
        return (store, name, await KeyRing.ReadKeyFileAsync(store, name, Ct));
    }

    private static async Task ReplaceAsync(InMemoryObjectStore store, ObjectName name, KeyFile file)
        => await ReplaceRawAsync(store, name, Encoding.UTF8.GetString(RepositoryJson.Serialize(file)));

    private static async Task ReplaceRawAsync(InMemoryObjectStore store, ObjectName name, string json)
    {
        await store.DeleteAsync(name, Ct);
        await store.SaveAsync(name, ObjectContent.FromSeekable(new MemoryStream(Encoding.UTF8.GetBytes(json))), Ct);
    }
}
