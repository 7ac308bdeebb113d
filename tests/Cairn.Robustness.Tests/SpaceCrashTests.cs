using System.Net.Http.Json;
using Cairn.Robustness.Tests.Infrastructure;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Instances;
using Cairn.Space.Usage;
using Cairn.Testing.Trees;
namespace Cairn.Robustness.Tests;

/// <summary>
/// Point 9 and point 10 (d): Space killed with SIGKILL while several restic clients upload, then started again.
/// The temporary files the dead uploads left are aged past the sweep's hour before the restart, so the start-up
/// sweep must remove every one; the clients finish (their own retries, or a second run), every repository passes
/// <c>restic check --read-data</c>, and after a reconcile the usage Space reports is exactly the bytes stored.
/// </summary>
public sealed class SpaceCrashTests
{
    private const int Clients = 3;
    private const string UserPassword = "robustness tenant passphrase 4";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Space_killed_during_concurrent_uploads_loses_nothing_leaves_no_old_temporary_file_and_counts_usage_exactly()
    {
        using var scratch = new Scratch("cairn-robust-space-");
        var random = RobustnessSettings.RandomFor("space");
        await using var space = new SpaceProcess(scratch.Combine("data"));
        await space.StartAsync();
        using var user = await space.SignedInAsync("tenant@robustness.example", UserPassword, signUp: true);
        using var admin = await space.SignedInAsync(SpaceProcess.OperatorEmail, SpaceProcess.OperatorPassword, signUp: false);
        const string instance = "robustness.olares";
        (await user.PostAsJsonAsync("/api/v1/instances", new { name = instance }, Ct)).EnsureSuccessStatusCode();

        var repos = new List<TestRepository>();
        var trees = new List<SourceTree>();
        for (var i = 0; i < Clients; i++)
        {
            var minted = await user.PostAsJsonAsync($"/api/v1/instances/{instance}/credentials", new { appendOnly = false, task = "task" + i }, Ct);
            minted.EnsureSuccessStatusCode();
            var credential = (await minted.Content.ReadFromJsonAsync<MintedCredentialResponse>(Ct))!;
            var repo = new TestRepository(credential.RepositoryUrl, scratch.Path);
            (await repo.ResticAsync("init")).EnsureSuccess(RobustnessSettings.Note);
            repos.Add(repo);
            var tree = new SourceTree(scratch.Combine("source-" + i), random);
            tree.Create(files: 30, largeBytes: 3 << 20);
            trees.Add(tree);
        }

        var leftoversSwept = 0;
        var reruns = 0;
        var exactBeforeReconcile = 0;
        var problems = new List<string>();
        for (var crash = 0; crash < RobustnessSettings.SpaceCrashes; crash++)
        {
            var clients = new List<RunningProgram>();
            for (var i = 0; i < Clients; i++)
            {
                if (crash > 0)
                {
                    trees[i].Change(3 << 20);
                }

                repos[i].RecordState(crash, trees[i].Describe());
                // 2 MiB/s each: a pack takes a second or two to arrive, so the kill finds uploads half written.
                clients.Add(ScenarioPrograms.Start("restic", ["--no-cache", "--limit-upload", "2048", "-r", repos[i].Location, .. repos[i].BackupArguments(trees[i].Root, crash)], repos[i].ResticEnvironment));
            }

            // A random moment once uploads are under way: after a random start, as soon as an upload's temporary file
            // exists (or after five seconds more at most).
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 1500)), Ct);
            for (var polls = 0; polls < 1000 && TemporaryFiles(space.RepositoriesPath).Count == 0; polls++)
            {
                await Task.Delay(5, Ct);
            }

            await space.KillAsync();

            // What the dead uploads left is aged past the sweep's hour: the restart must remove all of it.
            var leftovers = TemporaryFiles(space.RepositoriesPath);
            foreach (var file in leftovers)
            {
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-2));
            }

            await space.StartAsync();
            var remaining = TemporaryFiles(space.RepositoriesPath).Where(f => File.GetLastWriteTimeUtc(f) < DateTime.UtcNow.AddHours(-1)).ToList();
            if (remaining.Count > 0)
            {
                problems.Add($"crash {crash}: {remaining.Count} temporary files older than the sweep remain after the restart: {string.Join(", ", remaining)}");
            }

            leftoversSwept += leftovers.Count - remaining.Count;
            for (var i = 0; i < Clients; i++)
            {
                var result = await clients[i].WaitAsync(TimeSpan.FromMinutes(10), TestContext.Current.CancellationToken);
                clients[i].Dispose();
                if (result.ExitCode != 0)
                {
                    // The client gave up while Space was down; the owner runs the backup again.
                    reruns++;
                    var again = await repos[i].ResticAsync(repos[i].BackupArguments(trees[i].Root, crash));
                    if (again.ExitCode != 0)
                    {
                        problems.Add($"crash {crash}: the backup of task{i} failed even when run again: {again}");
                    }
                }
            }

            var tasks = (await user.GetFromJsonAsync<BackupResponse[]>("/api/v1/backups", Ct))!;
            exactBeforeReconcile += tasks.Count(t => t.StorageBytes == StoredBytes(space, t.Id));
            (await admin.PostAsync("/api/v1/admin/reconcile", null, Ct)).EnsureSuccessStatusCode();
            foreach (var task in (await user.GetFromJsonAsync<BackupResponse[]>("/api/v1/backups", Ct))!)
            {
                var stored = StoredBytes(space, task.Id);
                if (task.StorageBytes != stored)
                {
                    problems.Add($"crash {crash}: {task.Name} reports {task.StorageBytes} bytes after a reconcile, the store holds {stored}");
                }
            }

            for (var i = 0; i < Clients; i++)
            {
                problems.AddRange((await repos[i].VerifyAsync(trees[i].Root, readData: true)).Select(p => $"crash {crash}, task{i}: {p}"));
            }
        }

        Figures.Record("space-crash", new Dictionary<string, object>
        {
            ["crashes"] = RobustnessSettings.SpaceCrashes,
            ["concurrentClients"] = Clients,
            ["clientRerunsAfterGivingUp"] = reruns,
            ["leftoverTemporaryFilesSwept"] = leftoversSwept,
            ["tasksExactBeforeReconcile"] = exactBeforeReconcile,
            ["taskChecks"] = RobustnessSettings.SpaceCrashes * Clients,
            ["failures"] = problems.Count,
        });
        problems.Should().BeEmpty($"seed {RobustnessSettings.Seed}");
    }

    private static List<string> TemporaryFiles(string root) => Directory.Exists(root)
        ? [.. Directory.GetFiles(root, ".tmp-*", SearchOption.AllDirectories)]
        : [];

    /// <summary>The bytes of every object file of a task's repository (temporary files are no object).</summary>
    private static long StoredBytes(SpaceProcess space, Guid taskId)
    {
        var folder = Directory.GetDirectories(space.RepositoriesPath, taskId.ToString("N"), SearchOption.AllDirectories).Single();
        return Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith(".tmp-", StringComparison.Ordinal))
            .Sum(f => new FileInfo(f).Length);
    }
}
