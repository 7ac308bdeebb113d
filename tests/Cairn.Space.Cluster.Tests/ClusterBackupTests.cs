using System.Text.Json;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Cluster.Tests.Infrastructure;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;

namespace Cairn.Space.Cluster.Tests;

/// <summary>
/// Twelve clients back up at once through haproxy to three replicas on RGW, and one replica dies (SIGKILL) while they
/// are mid-flight: every client still finishes with its own retries, restic reads every byte back, the usage Space
/// reports is the bucket's exactly, and every replica, asked directly, lists the same tasks with the same times.
/// </summary>
public sealed class ClusterBackupTests
{
    private const int ResticClients = 10;
    private const int CairnClients = 2;
    private const int SourceBytes = 12_000_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Twelve_clients_finish_their_backups_through_a_replica_killed_mid_flight_and_every_replica_agrees()
    {
        await using var cluster = await SpaceCluster.StartAsync(settings: new Dictionary<string, string>
        {
            ["Space:Limits:InstancesPerAccount"] = "20",
        });
        var owner = await SpaceClient.SignUpAsync(cluster.Address);
        var clients = new List<BackupClient>();
        for (var i = 0; i < ResticClients + CairnClients; i++)
        {
            var instance = await owner.RegisterInstanceAsync();
            var credential = await owner.MintAsync(instance, task: $"task{i}");
            clients.Add(new BackupClient(instance, $"task{i}", credential.RepositoryUrl, IsCairn: i >= ResticClients,
                Trees.MakeSource(cluster.Folder, SourceBytes)));
        }

        // All at once; each client is a real process with its own retries (restic's backend retries, cairn's too).
        var runs = clients.Select(c => Task.Run(() => c.InitAndBackUpAsync(), Ct)).ToList();

        // Mid-flight: some packs of most tasks are in the bucket, and the clients are still uploading.
        var victim = cluster.Replicas[1];
        await WaitUntilMidFlightAsync(cluster, clients, runs);
        runs.Count(r => !r.IsCompleted).Should().BeGreaterThan(clients.Count / 2, "the kill must land while most clients upload");
        await victim.KillAsync();

        var results = await Task.WhenAll(runs);
        for (var i = 0; i < clients.Count; i++)
        {
            results[i].ExitCode.Should().Be(0, $"{clients[i].Task} ({(clients[i].IsCairn ? "cairn" : "restic")}) must finish:\n{results[i].Output}\n{results[i].Error}\n{cluster.Diagnostics()}");
        }

        // Back to three replicas for the checks, the restarted one included.
        await victim.StartAsync();
        await victim.WaitReadyAsync();
        await cluster.WaitBalancedAsync(cluster.Replicas.Count);

        // Every byte reads back and matches, as restic (the independent judge) sees it; the tasks are checked side by side.
        var snapshotTimes = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (task, time) in await Task.WhenAll(clients.Select(CheckAsync)))
        {
            snapshotTimes[task] = time;
        }

        // The usage in the API is the bucket's bytes exactly, task by task and in all.
        var bucket = await cluster.Bucket.ListAsync(SpaceCluster.Prefix + "/");
        var tasks = await owner.BackupsAsync();
        tasks.Should().HaveCount(clients.Count);
        foreach (var task in tasks)
        {
            // Space keeps a task at {prefix}/{instance id}/{task id}/.
            var stored = bucket.Where(o => o.Key.Split('/')[2] == task.Id.ToString("N")).Sum(o => o.Value);
            task.StorageBytes.Should().Be(stored, $"the usage of {task.Instance}/{task.Name} is the bytes its objects hold in the bucket");
        }

        tasks.Sum(t => t.StorageBytes).Should().Be(bucket.Values.Sum());

        // Each replica, asked directly, shows the same tasks with the same times, and the snapshot times are restic's.
        foreach (var replica in cluster.Replicas)
        {
            var seen = await owner.At(replica.Address).BackupsAsync();
            seen.Select(Row).Should().BeEquivalentTo(tasks.Select(Row), $"replica {replica.Id} lists what the cluster does");
        }

        // Space records a snapshot when it arrives (after restic's own time, taken when the backup began): the task's
        // latest time is its one snapshot's.
        foreach (var task in tasks)
        {
            var snapshot = (await owner.BackupAsync(task.Id)).Snapshots.Should().ContainSingle().Subject;
            task.LatestSnapshotAt.Should().Be(snapshot.Time).And.BeOnOrAfter(snapshotTimes[task.Name]);
        }
    }

    /// <summary>restic check --read-data on the client's repository, and the time of its one snapshot.</summary>
    private static async Task<(string Task, DateTimeOffset Time)> CheckAsync(BackupClient client)
    {
        var restic = new Restic(client.RepositoryUrl);
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess();
        var snapshots = JsonDocument.Parse((await restic.RunAsync("snapshots", "--json")).EnsureSuccess().Output).RootElement;
        snapshots.GetArrayLength().Should().Be(1, $"{client.Task} made one snapshot");
        return (client.Task, snapshots[0].GetProperty("time").GetDateTimeOffset());
    }

    private static object Row(BackupResponse task) => new { task.Id, task.Name, task.Instance, task.CreatedAt, task.LatestSnapshotAt, task.StorageBytes };

    private static async Task WaitUntilMidFlightAsync(SpaceCluster cluster, IReadOnlyList<BackupClient> clients, IReadOnlyList<Task<Restic.Result>> runs)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < deadline && runs.All(r => !r.IsCompleted))
        {
            var bucket = await cluster.Bucket.ListAsync(SpaceCluster.Prefix + "/");
            // {prefix}/{instance id}/{task id}/data/...: tasks with at least one pack stored.
            var uploading = bucket.Keys.Select(k => k.Split('/')).Where(p => p.Length > 3 && p[3] == "data").Select(p => p[2]).Distinct().Count();
            if (uploading >= clients.Count / 2)
            {
                return;
            }

            await Task.Delay(250, Ct);
        }
    }

    /// <summary>One client of the cluster: restic or cairn, its own task, its own source folder.</summary>
    private sealed record BackupClient(string Instance, string Task, string RepositoryUrl, bool IsCairn, string Source)
    {
        public async Task<Restic.Result> InitAndBackUpAsync()
        {
            if (IsCairn)
            {
                var cairn = new CairnCli(RepositoryUrl);
                var init = await cairn.RunAsync("init");
                return init.ExitCode != 0 ? init : await cairn.RunAsync("backup", Source);
            }

            var restic = new Restic(RepositoryUrl);
            var created = await restic.RunAsync("init");
            return created.ExitCode != 0 ? created : await restic.RunAsync("backup", Source);
        }
    }
}
