using Cairn.Repository.Json;
using Cairn.Storage;

namespace Cairn.Repository.Tests.Crypto;

/// <summary>A key hint (restic's <c>--key-hint</c>, copy's <c>--from-key-hint</c>) decides which key file is tried first.</summary>
public sealed class KeyHintTests
{
    private const string Password = "key hint password";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_hinted_key_file_is_tried_before_the_others()
    {
        var store = new InMemoryObjectStore();
        Id goodKey;
        await using (var repository = await ResticRepository.InitAsync(store, Password, new RepositoryOptions { Kdf = KdfParameters.Fast }, Ct))
        {
            goodKey = repository.KeyId;
        }

        // A key file no password opens and whose parameters are refused before any derivation: trying it first fails.
        var file = await KeyRing.ReadKeyFileAsync(store, new ObjectName(ObjectKind.Key, goodKey.ToString()), Ct);
        var refused = RepositoryJson.Serialize(file with { N = 1824 });
        var refusedKey = Id.Hash(refused);
        await store.SaveAsync(new ObjectName(ObjectKind.Key, refusedKey.ToString()), refused, Ct);

        var (_, opened) = await KeyRing.OpenAsync(store, Password, goodKey.ToString()[..8], Ct);
        var openRefusedFirst = () => KeyRing.OpenAsync(store, Password, refusedKey.ToString()[..8], Ct);

        opened.Should().Be(goodKey);
        (await openRefusedFirst.Should().ThrowAsync<CorruptedDataException>()).Which.Message.Should().Contain(refusedKey.ToString());
        await using var viaOptions = await ResticRepository.OpenAsync(store, Password, new RepositoryOptions { KeyHint = goodKey.ToString() }, Ct);
        viaOptions.KeyId.Should().Be(goodKey);
    }
}
