using Cairn.Backup;
using Cairn.Maintenance.Check;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Trees;
using Cairn.Storage;

namespace Cairn.Maintenance.Tests.Integrity;

/// <summary>Damage injected into packs is always found, and the report names what it affects.</summary>
public sealed class CorruptionTests : IDisposable
{
    private readonly string _work = TestTrees.NewTemp("corrupt");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestTrees.Delete(_work);

    [Fact]
    public async Task Single_byte_corruption_at_random_in_packs_is_reported_every_time_with_the_affected_file_paths()
    {
        var repoPath = Path.Combine(_work, "repo");
        var source = Path.Combine(_work, "source");
        TestTrees.Fill(source, seed: 42, files: 24, maxBytes: 700_000);
        var options = new RepositoryOptions { Kdf = KdfParameters.Fast, PackSize = 512 * 1024, Compression = CompressionMode.Off };
        await using (var created = await ResticRepository.InitAsync(new LocalObjectStore(repoPath), "pw", options, Ct))
        {
            await new Archiver(new RepositoryBackupTarget(created)).RunAsync(new BackupOptions { Paths = [Cairn.Platform.RawPath.FromString(source)] }, null, Ct);
        }

        await using var repository = await ResticRepository.OpenAsync(new LocalObjectStore(repoPath), "pw", options, Ct);
        await repository.LoadIndexAsync(Ct);
        var (snapshotId, snapshot) = (await SnapshotFinder.ListAsync(repository, Ct)).Single();

        // Which snapshot paths need which pack: the expectation each trial is checked against.
        var pathsByPack = new Dictionary<Id, HashSet<string>>();
        repository.Index.TryGet(BlobType.Tree, snapshot.Tree, out var root).Should().BeTrue();
        pathsByPack[root.Pack] = ["/"];
        await TreeWalker.WalkAsync(repository, snapshot.Tree, (path, node) =>
        {
            var blobs = node.Type == NodeType.Dir && node.Subtree is { } sub ? [(BlobType.Tree, sub)] : (node.Content ?? []).Select(b => (BlobType.Data, b));
            foreach (var (type, id) in blobs)
            {
                repository.Index.TryGet(type, id, out var location).Should().BeTrue();
                if (!pathsByPack.TryGetValue(location.Pack, out var set))
                {
                    pathsByPack[location.Pack] = set = [];
                }

                set.Add(path);
            }

            return true;
        }, cancellationToken: Ct);

        var packs = Directory.EnumerateFiles(Path.Combine(repoPath, "data"), "*", SearchOption.AllDirectories).ToList();
        packs.Count.Should().BeGreaterThan(10);
        var random = new Random(7);
        for (var trial = 0; trial < 100; trial++)
        {
            var pack = packs[random.Next(packs.Count)];
            var packId = Id.Parse(Path.GetFileName(pack));
            var bytes = File.ReadAllBytes(pack);
            var offset = random.Next(bytes.Length);
            var original = bytes[offset];
            TestTrees.MakeWritable(pack);
            bytes[offset] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(pack, bytes);
            try
            {
                await using var fresh = await ResticRepository.OpenAsync(new LocalObjectStore(repoPath), "pw", options, Ct);
                var report = await new Checker(fresh).RunAsync(new CheckOptions { ReadData = true }, Ct);

                report.HasErrors.Should().BeTrue($"trial {trial}: byte {offset} of pack {packId} was flipped");
                report.DamagedPacks.Should().Equal([packId.ToString()], $"trial {trial}");
                var expected = pathsByPack.TryGetValue(packId, out var set) ? set : [];
                var affected = report.Affected.Where(a => a.SnapshotId == snapshotId.Short).Select(a => a.Path).ToHashSet();
                // A damaged tree hides what is below it, so only the topmost affected paths are named.
                static bool Below(string path, string ancestor) => ancestor == "/" ? path != "/" : path.StartsWith(ancestor + "/", StringComparison.Ordinal);
                expected.Where(p => !expected.Any(q => Below(p, q)))
                    .Should().BeSubsetOf(affected, $"trial {trial}");
                affected.Should().OnlyContain(p => expected.Contains(p), $"trial {trial}");
            }
            finally
            {
                bytes[offset] = original;
                File.WriteAllBytes(pack, bytes);
            }
        }
    }

    [Fact]
    public async Task A_repository_whose_index_was_deleted_is_made_whole_by_repair_index_and_passes_restic_check()
    {
        var repo = Path.Combine(_work, "repo");
        var source = Path.Combine(_work, "source");
        TestTrees.Fill(source, seed: 5, files: 10, maxBytes: 1_200_000);
        (await Forget.ExternalProcess.CairnAsync(repo, "init")).ExitCode.Should().Be(0);
        (await Forget.ExternalProcess.CairnAsync(repo, "backup", source)).ExitCode.Should().Be(0);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repo, "index")))
        {
            File.Delete(file);
        }

        (await Forget.ExternalProcess.CairnAsync(repo, "check")).ExitCode.Should().Be(1);
        var repair = await Forget.ExternalProcess.CairnAsync(repo, "repair", "index");
        repair.ExitCode.Should().Be(0, repair.Stderr);

        var check = await Forget.ExternalProcess.ResticAsync(repo, "check", "--read-data");
        check.ExitCode.Should().Be(0, check.Stdout + check.Stderr);
        var target = Path.Combine(_work, "restore");
        (await Forget.ExternalProcess.CairnAsync(repo, "restore", "latest", "--target", target)).ExitCode.Should().Be(0);
        TestTrees.Contents(Path.Combine(target, source.TrimStart('/'))).Should().Equal(TestTrees.Contents(source));
    }

    [Fact]
    public async Task Repair_snapshots_drops_only_the_lost_data_and_the_repaired_snapshot_checks_clean()
    {
        var repo = Path.Combine(_work, "repo");
        var source = Path.Combine(_work, "source");
        TestTrees.Fill(source, seed: 6, files: 8, maxBytes: 900_000);
        var options = new RepositoryOptions { Kdf = KdfParameters.Fast, PackSize = 256 * 1024 };
        await using (var created = await ResticRepository.InitAsync(new LocalObjectStore(repo), Forget.ExternalProcess.Password, options, Ct))
        {
            await new Archiver(new RepositoryBackupTarget(created)).RunAsync(new BackupOptions { Paths = [Cairn.Platform.RawPath.FromString(source)] }, null, Ct);
        }

        // Lose one data pack entirely, then rebuild the index so only the snapshot still names its blobs.
        var dataPack = await FirstDataPackAsync(repo, options);
        File.Delete(Directory.EnumerateFiles(Path.Combine(repo, "data"), dataPack.ToString(), SearchOption.AllDirectories).Single());
        (await Forget.ExternalProcess.CairnAsync(repo, "repair", "index")).ExitCode.Should().Be(0);
        (await Forget.ExternalProcess.CairnAsync(repo, "check")).ExitCode.Should().Be(1);

        var repair = await Forget.ExternalProcess.CairnAsync(repo, "repair", "snapshots", "--forget");
        repair.ExitCode.Should().Be(0, repair.Stderr);
        repair.Stdout.Should().Contain("1 snapshots repaired");
        var check = await Forget.ExternalProcess.CairnAsync(repo, "check", "--read-data");
        check.ExitCode.Should().Be(0, check.Stdout + check.Stderr);
        (await Forget.ExternalProcess.ResticAsync(repo, "check", "--read-data")).ExitCode.Should().Be(0);

        // Every file the lost pack did not touch comes back intact.
        var target = Path.Combine(_work, "restore");
        (await Forget.ExternalProcess.CairnAsync(repo, "restore", "latest", "--target", target)).ExitCode.Should().Be(0);
        var restored = TestTrees.Contents(Path.Combine(target, source.TrimStart('/')));
        var original = TestTrees.Contents(source);
        restored.Keys.Should().BeEquivalentTo(original.Keys);
        restored.Count(kv => original[kv.Key] == kv.Value).Should().BeGreaterThan(original.Count / 2);
    }

    private static async Task<Id> FirstDataPackAsync(string repo, RepositoryOptions options)
    {
        await using var repository = await ResticRepository.OpenAsync(new LocalObjectStore(repo), Forget.ExternalProcess.Password, options, Ct);
        await repository.LoadIndexAsync(Ct);
        return repository.Index.All().First(b => b.Location.Type == BlobType.Data).Location.Pack;
    }
}
