using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Repository.Tests.Index;

/// <summary>Filling the repository's index again: re-read from the store, or installed by prune and repair.</summary>
public sealed class IndexReloadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly RepositoryOptions Options = new() { Kdf = KdfParameters.Fast };

    [Fact]
    public async Task Reload_forgets_what_a_deleted_index_file_named_and_sees_what_another_writer_added()
    {
        var store = new InMemoryObjectStore();
        await using var repository = await ResticRepository.InitAsync(store, "pw", Options, Ct);
        var first = await SaveAsync(repository, 1);
        var firstIndex = repository.Index.IndexFiles.Single();
        await using var other = await ResticRepository.OpenAsync(store, "pw", Options, Ct);
        var second = await SaveAsync(other, 2);

        await store.DeleteAsync(new ObjectName(ObjectKind.Index, firstIndex.ToString()), Ct);
        await repository.ReloadIndexAsync(Ct);

        repository.Index.Has(BlobType.Data, first).Should().BeFalse();
        repository.Index.Has(BlobType.Data, second).Should().BeTrue();
        repository.Index.IndexFiles.Should().Equal(other.Index.IndexFiles);
    }

    [Fact]
    public async Task Replace_installs_exactly_the_given_blobs_and_index_files()
    {
        await using var repository = await ResticRepository.InitAsync(new InMemoryObjectStore(), "pw", Options, Ct);
        var dropped = await SaveAsync(repository, 3);
        var kept = await SaveAsync(repository, 4);
        repository.Index.TryGet(BlobType.Data, kept, out var location).Should().BeTrue();
        var newIndexFile = Id.Random();

        repository.ReplaceIndex([(kept, location)], [newIndexFile]);

        repository.Index.Has(BlobType.Data, dropped).Should().BeFalse();
        repository.Index.TryGet(BlobType.Data, kept, out var after).Should().BeTrue();
        after.Should().Be(location);
        repository.Index.IndexFiles.Should().Equal(newIndexFile);
    }

    private static async Task<Id> SaveAsync(ResticRepository repository, byte seed)
    {
        var plain = new byte[1000];
        new Random(seed).NextBytes(plain);
        var id = Id.Hash(plain);
        await repository.Blobs.SaveAsync(BlobType.Data, id, plain, Ct);
        await repository.Blobs.FlushAsync(Ct);
        return id;
    }
}
