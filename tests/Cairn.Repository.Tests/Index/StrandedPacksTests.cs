using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Repository.Tests.Index;

/// <summary>Packs a killed backup stored but never indexed, found and indexed by the next backup (issue 15, item 3).</summary>
public sealed class StrandedPacksTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly RepositoryOptions Options = new() { Kdf = KdfParameters.Fast };

    [Fact]
    public async Task After_a_stale_lock_the_packs_no_index_names_are_indexed_and_their_blobs_known()
    {
        var store = new InMemoryObjectStore();
        var blob = await StoreUnindexedBlobAsync(store, seed: 1);
        await WriteLockAsync(store, DateTimeOffset.UtcNow - TimeSpan.FromHours(1));
        await using var next = await OpenAsync(store);
        next.Index.Has(BlobType.Data, blob).Should().BeFalse();

        var indexed = await StrandedPacks.IndexIfARunWasKilledAsync(next, Ct);

        indexed.Packs.Should().Be(1);
        indexed.Bytes.Should().BeGreaterThan(1000);
        next.Index.Has(BlobType.Data, blob).Should().BeTrue();
        await using var later = await OpenAsync(store);
        later.Index.Has(BlobType.Data, blob).Should().BeTrue("the index file naming the pack is stored");
    }

    [Fact]
    public async Task Without_a_stale_lock_nothing_is_listed_or_indexed()
    {
        var store = new InMemoryObjectStore();
        var blob = await StoreUnindexedBlobAsync(store, seed: 2);
        await WriteLockAsync(store, DateTimeOffset.UtcNow);
        await using var next = await OpenAsync(store);

        var indexed = await StrandedPacks.IndexIfARunWasKilledAsync(next, Ct);

        indexed.Should().Be(StrandedPacksIndexed.None);
        next.Index.Has(BlobType.Data, blob).Should().BeFalse();
    }

    [Fact]
    public async Task A_pack_cut_short_is_left_unindexed()
    {
        var store = new InMemoryObjectStore();
        await StoreUnindexedBlobAsync(store, seed: 3);
        var pack = (await store.ListAllAsync(ObjectKind.Pack, Ct)).Single().Name;
        var bytes = await store.ReadAllAsync(pack, Ct);
        await store.DeleteAsync(pack, Ct);
        await store.SaveAsync(new ObjectName(ObjectKind.Pack, Id.Random().ToString()), bytes.AsMemory(0, bytes.Length - 100), Ct);
        await using var next = await OpenAsync(store);

        var indexed = await StrandedPacks.IndexAsync(next, Ct);

        indexed.Should().Be(new StrandedPacksIndexed(0, 0, 1));
        (await store.ListAllAsync(ObjectKind.Index, Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Packs_an_index_already_names_are_not_read_again()
    {
        var store = new InMemoryObjectStore();
        await using (var repository = await ResticRepository.InitAsync(store, "pw", Options, Ct))
        {
            await SaveBlobAsync(repository, seed: 4);
        }

        await using var next = await OpenAsync(store);

        (await StrandedPacks.IndexAsync(next, Ct)).Should().Be(StrandedPacksIndexed.None);
        (await store.ListAllAsync(ObjectKind.Index, Ct)).Should().ContainSingle();
    }

    /// <summary>A pack stored whose index file is gone, as when a backup is killed before it writes the index.</summary>
    private static async Task<Id> StoreUnindexedBlobAsync(InMemoryObjectStore store, byte seed)
    {
        await using var repository = await ResticRepository.InitAsync(store, "pw", Options, Ct);
        var id = await SaveBlobAsync(repository, seed);
        foreach (var index in await store.ListAllAsync(ObjectKind.Index, Ct))
        {
            await store.DeleteAsync(index.Name, Ct);
        }

        return id;
    }

    private static async Task<Id> SaveBlobAsync(ResticRepository repository, byte seed)
    {
        var plain = new byte[5000];
        new Random(seed).NextBytes(plain);
        var id = Id.Hash(plain);
        await repository.Blobs.SaveAsync(BlobType.Data, id, plain, Ct);
        await repository.Blobs.FlushAsync(Ct);
        return id;
    }

    /// <summary>A lock of another host written at <paramref name="time"/>: stale once older than 30 minutes.</summary>
    private static async Task WriteLockAsync(InMemoryObjectStore store, DateTimeOffset time)
    {
        await using var repository = await OpenAsync(store);
        await repository.SaveJsonAsync(ObjectKind.Lock, new LockFile { Time = NodeTime.FromDateTimeOffset(time), Hostname = "elsewhere", Pid = 1 }, Ct);
    }

    private static async Task<ResticRepository> OpenAsync(InMemoryObjectStore store)
    {
        var repository = await ResticRepository.OpenAsync(store, "pw", Options, Ct);
        await repository.LoadIndexAsync(Ct);
        return repository;
    }
}
