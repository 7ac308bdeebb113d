using System.Diagnostics;
using Cairn.Robustness.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Testing.Servers;

namespace Cairn.Robustness.Tests;

/// <summary>
/// Point 10 (a): the native cairn killed with SIGKILL at a random moment of backup, forget and prune, over a local
/// repository and a REST one (rclone serve restic). After each kill restic checks the repository and every snapshot
/// restores byte for byte to the source state it was made from; the next command carries on past the dead lock.
/// </summary>
public sealed class KillTests
{
    private static readonly string[] Operations = ["backup", "forget", "prune"];
    private const int LargeFile = 3 << 20;

    [Theory]
    [InlineData("local")]
    [InlineData("rest")]
    public async Task Killing_cairn_at_random_moments_of_backup_forget_and_prune_loses_no_snapshot(string backend)
    {
        using var scratch = new Scratch("kill-" + backend);
        var random = RobustnessSettings.RandomFor("kill-" + backend);
        await using var rclone = backend == "rest" ? await RcloneServer.StartAsync(scratch.Combine("rest"), cancellationToken: TestContext.Current.CancellationToken) : null;
        var repo = new TestRepository(rclone?.LocationOf("repo") ?? scratch.Combine("repo"), scratch.Path);
        var tree = new SourceTree(scratch.Combine("source"), random);
        var run = new KillRun(repo, tree, random);

        (await repo.CairnAsync("init")).EnsureSuccess(RobustnessSettings.Note);
        tree.Create(files: 60, LargeFile);
        await run.BackupAsync();

        // One run of each operation to completion gives the span the random kill moments are drawn from.
        var durations = new Dictionary<string, TimeSpan>();
        foreach (var operation in Operations)
        {
            durations[operation] = await run.CompleteAsync(operation);
        }

        var kills = Operations.ToDictionary(o => o, _ => 0);
        var finishedFirst = Operations.ToDictionary(o => o, _ => 0);
        var problems = new List<string>();
        foreach (var operation in Operations)
        {
            // Every round ends in a kill: a run that beats its kill moment is checked like any other and tried again
            // with an earlier moment (bounded, so a run too quick to kill cannot loop for ever).
            var misses = 0;
            for (var round = 0; kills[operation] < RobustnessSettings.KillsPerOperation && round < 5 * RobustnessSettings.KillsPerOperation; round++)
            {
                var moment = durations[operation] * (random.NextDouble() * 0.9 / (1 << Math.Min(misses, 6)));
                var outcome = await run.KillAsync(operation, moment);
                problems.AddRange(outcome.Problems);
                problems.AddRange((await repo.VerifyAsync(tree.Root, readData: false))
                    .Select(p => $"after {operation} {(outcome.Killed ? "killed" : "not killed")} at {moment.TotalMilliseconds:F0} ms (round {round}): {p}"));
                if (outcome.Killed)
                {
                    kills[operation]++;
                    misses = 0;
                }
                else
                {
                    finishedFirst[operation]++;
                    misses++;
                }
            }
        }

        Figures.Record("kill", new Dictionary<string, object>
        {
            ["backend"] = backend,
            ["kills"] = kills,
            ["finishedBeforeTheKill"] = finishedFirst,
            ["snapshotsRestored"] = repo.Restores,
            ["failures"] = problems.Count,
        });
        problems.Should().BeEmpty($"seed {RobustnessSettings.Seed}");
    }

    /// <summary>The operations of one kill run and the source states they are started on.</summary>
    private sealed class KillRun(TestRepository repo, SourceTree tree, Random random)
    {
        private int _generation;

        public async Task BackupAsync()
        {
            repo.RecordState(_generation, tree.Describe());
            (await repo.CairnAsync(repo.BackupArguments(tree.Root, _generation))).EnsureSuccess(RobustnessSettings.Note);
        }

        /// <summary>Prepares and runs one operation to its end; returns how long it took.</summary>
        public async Task<TimeSpan> CompleteAsync(string operation)
        {
            var arguments = await PrepareAsync(operation);
            var clock = Stopwatch.StartNew();
            (await repo.CairnAsync(arguments)).EnsureSuccess(RobustnessSettings.Note);
            return clock.Elapsed;
        }

        /// <summary>Prepares one operation, starts it and kills it after <paramref name="moment"/>.</summary>
        public async Task<(bool Killed, TimeSpan Elapsed, List<string> Problems)> KillAsync(string operation, TimeSpan moment)
        {
            var arguments = await PrepareAsync(operation);
            var clock = Stopwatch.StartNew();
            using var program = repo.StartCairn(arguments);
            await Task.Delay(moment);
            var killed = program.KillHard();
            var result = await program.WaitAsync(TimeSpan.FromMinutes(5));
            var problems = new List<string>();
            if (!killed && result.ExitCode != 0)
            {
                problems.Add($"{operation} ended on its own but failed: {result}");
            }

            return (killed, clock.Elapsed, problems);
        }

        /// <summary>
        /// A backup sees a changed source; a forget has at least three snapshots to thin; a prune follows a forget, so
        /// it has packs to remove and repack.
        /// </summary>
        private async Task<string[]> PrepareAsync(string operation)
        {
            switch (operation)
            {
                case "backup":
                    tree.Change(LargeFile);
                    _generation++;
                    repo.RecordState(_generation, tree.Describe());
                    return repo.BackupArguments(tree.Root, _generation);
                case "forget":
                    while ((await repo.SnapshotsAsync()).Count < 3)
                    {
                        tree.Change(LargeFile);
                        _generation++;
                        await BackupAsync();
                    }

                    return ["forget", "--keep-last", "2"];
                default:
                    tree.Change(LargeFile);
                    _generation++;
                    await BackupAsync();
                    (await repo.CairnAsync("forget", "--keep-last", random.Next(1, 3).ToString(System.Globalization.CultureInfo.InvariantCulture))).EnsureSuccess(RobustnessSettings.Note);
                    return ["prune", "--max-unused", "0%"];
            }
        }
    }
}
