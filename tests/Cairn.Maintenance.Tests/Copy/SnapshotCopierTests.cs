using Cairn.Backup;
using Cairn.Maintenance.Copy;
using Cairn.Maintenance.Tests.Integrity;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Maintenance.Tests.Copy;

/// <summary>The copy engine between two in-memory repositories: restic's already-copied rule, dedup, and damage in the source.</summary>
public sealed class SnapshotCopierTests : IDisposable
{
    private static readonly RepositoryOptions Options = new() { Kdf = KdfParameters.Fast, PackSize = 256 * 1024 };
    private readonly string _work = TestTrees.NewTemp("copy");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestTrees.Delete(_work);

    [Fact]
    public void A_destination_snapshot_is_a_copy_when_it_differs_only_in_parent_and_original_and_shares_the_persistent_id()
    {
        var sourceId = Id.Random();
        var source = Sample() with { Parent = Id.Random() };
        var copy = source with { Parent = null, Original = sourceId, Paths = ["/b", "/a"], Tags = ["y", "x"] };
        var retagged = copy with { Tags = ["x"] };
        var otherOriginal = copy with { Original = Id.Random() };
        var copyId = Id.Random();

        new CopiedSnapshots([(copyId, copy)]).FindCopy(sourceId, source).Should().Be(copyId, "paths and tags compare as sets");
        new CopiedSnapshots([(Id.Random(), retagged)]).FindCopy(sourceId, source).Should().BeNull("the tags differ");
        new CopiedSnapshots([(Id.Random(), otherOriginal)]).FindCopy(sourceId, source).Should().BeNull("it is a copy of another snapshot");
        new CopiedSnapshots([(sourceId, source)]).FindCopy(copyId, copy).Should().Be(sourceId, "copying back finds the original by its own ID");
        new CopiedSnapshots([(Id.Random(), copy with { Time = NodeTime.FromUnix(1_700_000_001, 0) })]).FindCopy(sourceId, source).Should().BeNull("the time differs");
    }

    [Fact]
    public async Task Two_snapshots_sharing_data_are_copied_with_each_blob_stored_once_and_a_second_run_copies_nothing()
    {
        var (source, destination) = await TwoRepositoriesAsync();
        var folder = Path.Combine(_work, "source");
        TestTrees.Fill(folder, seed: 5, files: 12, maxBytes: 400_000);
        await BackUpAsync(source, folder);
        File.WriteAllBytes(Path.Combine(folder, "extra.bin"), new byte[70_000]);
        await BackUpAsync(source, folder);
        var snapshots = await SnapshotFinder.ListAsync(source, Ct);

        var copier = new SnapshotCopier(source, destination);
        (await copier.CopyAsync(snapshots, Ct)).Should().Be(2);

        await destination.ReloadIndexAsync(Ct);
        destination.Index.All().Select(b => (b.Location.Type, b.Id)).Should().OnlyHaveUniqueItems()
            .And.BeEquivalentTo(source.Index.All().Select(b => (b.Location.Type, b.Id)).Distinct());
        (await new SnapshotCopier(source, destination).CopyAsync(snapshots, Ct)).Should().Be(0);
        (await SnapshotFinder.ListAsync(destination, Ct)).Select(s => s.Snapshot.Original).Should().BeEquivalentTo(snapshots.Select(s => (Id?)s.Id));
    }

    [Fact]
    public async Task A_pack_missing_from_the_source_fails_the_copy_and_no_snapshot_is_written()
    {
        var (source, destination) = await TwoRepositoriesAsync();
        var folder = Path.Combine(_work, "damaged");
        TestTrees.Fill(folder, seed: 6, files: 8, maxBytes: 300_000);
        await BackUpAsync(source, folder);
        var dataPack = source.Index.All().First(b => b.Location.Type == BlobType.Data).Location.Pack;
        await source.Store.DeleteAsync(new ObjectName(ObjectKind.Pack, dataPack.ToString()), Ct);

        var snapshots = await SnapshotFinder.ListAsync(source, Ct);
        var copy = () => new SnapshotCopier(source, destination).CopyAsync(snapshots, Ct);

        await copy.Should().ThrowAsync<ObjectNotFoundException>();
        (await destination.Store.ListAllAsync(ObjectKind.Snapshot, Ct)).Should().BeEmpty();
    }

    private static Snapshot Sample() => new()
    {
        Time = NodeTime.FromUnix(1_700_000_000, 5),
        Tree = Id.Random(),
        Paths = ["/a", "/b"],
        Hostname = "host",
        Username = "user",
        Tags = ["x", "y"],
    };

    private static async Task<(ResticRepository Source, ResticRepository Destination)> TwoRepositoriesAsync()
    {
        var source = await ResticRepository.InitAsync(new InMemoryObjectStore("memory:source"), "source", Options, Ct);
        var destination = await ResticRepository.InitAsync(new InMemoryObjectStore("memory:destination"), "destination", Options, Ct);
        return (source, destination);
    }

    private static async Task BackUpAsync(ResticRepository repository, string folder)
    {
        await new Archiver(new RepositoryBackupTarget(repository)).RunAsync(new BackupOptions { Paths = [Cairn.Platform.RawPath.FromString(folder)] }, null, Ct);
        await repository.ReloadIndexAsync(Ct);
    }
}
