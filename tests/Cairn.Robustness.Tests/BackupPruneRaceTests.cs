using Cairn.Robustness.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Testing.Servers;

namespace Cairn.Robustness.Tests;

/// <summary>
/// Point 10 (c): a backup and a prune started together on one repository, a few milliseconds apart in either order.
/// The locks must serialise them (both wait with --retry-lock and both succeed), and afterwards
/// <c>restic check --read-data</c> passes and every committed snapshot restores byte for byte: no blob lost.
/// </summary>
public sealed class BackupPruneRaceTests
{
    [Fact]
    public async Task A_backup_racing_a_prune_is_serialised_by_the_locks_and_no_blob_of_a_snapshot_is_lost()
    {
        using var scratch = new Scratch("cairn-robust-race-");
        var random = RobustnessSettings.RandomFor("race");
        await using var rclone = await RcloneServer.StartAsync(scratch.Combine("rest"), cancellationToken: TestContext.Current.CancellationToken);
        var problems = new List<string>();
        var overlapping = 0;
        for (var race = 0; race < RobustnessSettings.Races; race++)
        {
            // Half the races on a local folder, half over REST.
            var repo = new TestRepository(race % 2 == 0 ? scratch.Combine("repo-" + race) : rclone.LocationOf("repo-" + race), scratch.Path);
            var tree = new SourceTree(scratch.Combine("source-" + race), random);
            (await repo.CairnAsync("init")).EnsureSuccess(RobustnessSettings.Note);
            tree.Create(files: 40, largeBytes: 2 << 20);
            for (var generation = 0; generation < 3; generation++)
            {
                if (generation > 0)
                {
                    tree.Change(2 << 20);
                }

                repo.RecordState(generation, tree.Describe());
                (await repo.CairnAsync(repo.BackupArguments(tree.Root, generation))).EnsureSuccess(RobustnessSettings.Note);
            }

            // The prune has work: two snapshots forgotten, their unique blobs now garbage beside shared ones.
            (await repo.CairnAsync("forget", "--keep-last", "1")).EnsureSuccess(RobustnessSettings.Note);
            tree.Change(2 << 20);
            repo.RecordState(3, tree.Describe());

            var pruneFirst = random.Next(2) == 0;
            var gap = TimeSpan.FromMilliseconds(random.Next(0, 300));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var first = pruneFirst ? repo.StartCairn("prune", "--max-unused", "0%", "--retry-lock", "2m") : repo.StartCairn([.. repo.BackupArguments(tree.Root, 3), "--retry-lock", "2m"]);
            var firstDone = first.WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken).ContinueWith(t => (Result: t.Result, At: clock.Elapsed), TaskScheduler.Default);
            await Task.Delay(gap, TestContext.Current.CancellationToken);
            var secondStarted = clock.Elapsed;
            using var second = pruneFirst ? repo.StartCairn([.. repo.BackupArguments(tree.Root, 3), "--retry-lock", "2m"]) : repo.StartCairn("prune", "--max-unused", "0%", "--retry-lock", "2m");
            var secondResult = await second.WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
            var (firstResult, firstEnded) = await firstDone;
            foreach (var result in new[] { firstResult, secondResult }.Where(r => r.ExitCode != 0))
            {
                problems.Add($"race {race}: {result}");
            }

            // Both were running at once: only the locks kept them apart.
            if (secondStarted < firstEnded)
            {
                overlapping++;
            }

            problems.AddRange((await repo.VerifyAsync(tree.Root, readData: true)).Select(p => $"race {race} ({(pruneFirst ? "prune" : "backup")} first, {gap.TotalMilliseconds} ms apart): {p}"));
            (await repo.SnapshotsAsync()).Should().Contain(s => s.Generation == 3, "the racing backup committed its snapshot");
        }

        Figures.Record("race", new Dictionary<string, object>
        {
            ["races"] = RobustnessSettings.Races,
            ["racesBothRunningAtOnce"] = overlapping,
            ["failures"] = problems.Count,
        });
        problems.Should().BeEmpty($"seed {RobustnessSettings.Seed}");
    }
}
