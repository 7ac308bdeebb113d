using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Repository.Tests.Blobs;

/// <summary>Decoding a stored blob from its pack bytes, into a scratch buffer or in place.</summary>
public sealed class BlobDecodingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task In_place_and_with_scratch_decode_the_same_plaintext_and_refuse_the_same_damage(bool compressible)
    {
        var store = new InMemoryObjectStore();
        await using var repository = await ResticRepository.InitAsync(store, "pw", new RepositoryOptions { Kdf = KdfParameters.Fast }, Ct);
        var plain = compressible ? System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a line of text\n", 5000))) : RandomBytes(70_000);
        var id = Id.Hash(plain);
        await repository.Blobs.SaveAsync(BlobType.Data, id, plain, Ct);
        await repository.Blobs.FlushAsync(Ct);
        repository.Index.TryGet(BlobType.Data, id, out var location).Should().BeTrue();
        location.IsCompressed.Should().Be(compressible);
        var stored = new byte[location.Length];
        await store.ReadAtAsync(new ObjectName(ObjectKind.Pack, location.Pack.ToString()), location.Offset, stored, Ct);

        var viaScratch = new byte[plain.Length];
        var inPlace = new byte[plain.Length];
        repository.DecodeBlob(id, location, stored, viaScratch).Should().Be(plain.Length);
        var copy = stored.ToArray();
        repository.DecodeBlobInPlace(id, location, copy, inPlace).Should().Be(plain.Length);

        viaScratch.Should().Equal(plain);
        inPlace.Should().Equal(plain);
        stored[^1] ^= 1;
        var scratchDamaged = () => repository.DecodeBlob(id, location, stored, viaScratch);
        var inPlaceDamaged = () => repository.DecodeBlobInPlace(id, location, stored.ToArray(), inPlace);
        scratchDamaged.Should().Throw<CorruptedDataException>().WithMessage("*MAC mismatch*");
        inPlaceDamaged.Should().Throw<CorruptedDataException>().WithMessage("*MAC mismatch*");
        var wrongId = () => repository.DecodeBlobInPlace(Id.Random(), location, copy.Length > 0 ? StoredAgain(store, location) : [], inPlace);
        wrongId.Should().Throw<CorruptedDataException>().WithMessage("*SHA-256 mismatch*");
    }

    private static byte[] StoredAgain(InMemoryObjectStore store, BlobLocation location)
    {
        var stored = new byte[location.Length];
        store.ReadAtAsync(new ObjectName(ObjectKind.Pack, location.Pack.ToString()), location.Offset, stored, Ct).GetAwaiter().GetResult();
        return stored;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(3).NextBytes(bytes);
        return bytes;
    }
}
