using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Cluster;
using Cairn.Space.Data;
using Cairn.Space.Tests.Infrastructure;
using static Cairn.Space.Tests.Infrastructure.ReplicaSet;
using Cairn.Space.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Cluster;

/// <summary>
/// Three Space replicas on one PostgreSQL database: the usage monitor's work (samples, the reconcile scan) runs once
/// per interval for the whole cluster however many replicas tick at once, and the gauges that describe the cluster
/// read the database, so every replica reports what any replica wrote.
/// </summary>
public sealed class PeriodicWorkTests : IAsyncLifetime
{
    private const long TaskBytes = 3_000_000;

    private readonly ReplicaSet _replicas;

    public PeriodicWorkTests()
    {
        _replicas = new ReplicaSet(3, i => new Dictionary<string, string?> { ["Space:Cluster:ReplicaId"] = $"replica-{i}" });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _replicas.StartAsync(Ct);

    public ValueTask DisposeAsync() => _replicas.DisposeAsync();

    [Fact]
    public async Task Three_replicas_ticking_at_the_same_moment_run_each_interval_of_the_usage_work_once()
    {
        var taskId = await TaskWithBytesAsync();
        var before = await SamplesAsync(taskId);

        var first = await TickEverywhereAsync();
        first.Count(r => r.Sampled).Should().Be(1, "one replica samples the first interval");
        first.Count(r => r.Reconciled).Should().Be(1, "one replica scans");
        (await SamplesAsync(taskId)).Should().Be(before + 1);

        // Half the interval on: nothing is due.
        AdvanceAll(TimeSpan.FromMinutes(15));
        (await TickEverywhereAsync()).Should().OnlyContain(r => !r.Sampled && !r.Reconciled);

        // A whole interval after the first: one more sample, the scan not yet (every six hours).
        AdvanceAll(TimeSpan.FromMinutes(15));
        var third = await TickEverywhereAsync();
        third.Count(r => r.Sampled).Should().Be(1);
        third.Should().OnlyContain(r => !r.Reconciled);
        (await SamplesAsync(taskId)).Should().Be(before + 2);

        var runs = await InScope(_replicas[2], async sp => await sp.GetRequiredService<SpaceDbContext>().ScheduledRuns.AsNoTracking()
            .ToDictionaryAsync(r => r.Name, r => r.LastRunBy, Ct));
        // Every schedule row is made with the schema; the two that ran name the replica that took them.
        runs.Keys.Should().BeEquivalentTo([PeriodicSchedule.UsageSample, PeriodicSchedule.Reconcile, PeriodicSchedule.MonthlyBills,
            PeriodicSchedule.Alerts]);
        runs[PeriodicSchedule.UsageSample].Should().StartWith("replica-");
        runs[PeriodicSchedule.Reconcile].Should().StartWith("replica-");
        runs[PeriodicSchedule.MonthlyBills].Should().BeNull("no replica ran the billing here");
        runs[PeriodicSchedule.Alerts].Should().BeNull("the alert monitor is off in tests");
    }

    [Fact]
    public async Task Every_replica_reports_the_cluster_s_stored_bytes_and_accounts_from_the_database()
    {
        await TaskWithBytesAsync();
        foreach (var replica in _replicas)
        {
            var figures = replica.Services.GetRequiredService<ClusterFigures>();
            await InScope(replica, sp => figures.RefreshAsync(sp.GetRequiredService<SpaceDbContext>(), Ct));
            figures.StoredBytes.Should().Be(TaskBytes, "the task was written through replica 0 only");
            figures.Accounts.Should().Be(1);
            figures.Instances.Should().Be(1);
            figures.BackupTasks.Should().Be(1);
        }
    }

    private void AdvanceAll(TimeSpan by)
    {
        foreach (var replica in _replicas)
        {
            replica.Clock.Advance(by);
        }
    }

    /// <summary>Each replica ticks three times, all at once.</summary>
    private async Task<(bool Reconciled, bool Sampled)[]> TickEverywhereAsync()
        => await Task.WhenAll(Enumerable.Range(0, 9).Select(i => Task.Run(() => InScope(_replicas[i % 3],
            sp => sp.GetRequiredService<UsageJobs>().RunDueAsync(Ct)), Ct)));

    private async Task<int> SamplesAsync(Guid taskId)
        => await InScope(_replicas[1], async sp => await sp.GetRequiredService<SpaceDbContext>().UsageSamples.CountAsync(s => s.TaskId == taskId, Ct));

    /// <summary>An owner on replica 0 with an instance and a task of <see cref="TaskBytes"/> bytes.</summary>
    private async Task<Guid> TaskWithBytesAsync()
    {
        var owner = await SpaceClient.SignUpAsync(_replicas[0]);
        var name = await owner.RegisterInstanceAsync();
        return await InScope(_replicas[0], async sp =>
        {
            var db = sp.GetRequiredService<SpaceDbContext>();
            var instance = await db.Instances.SingleAsync(i => i.Name == name, Ct);
            var task = await sp.GetRequiredService<BackupTaskService>().GetOrCreateAsync(instance, "photos", Ct);
            task.SetStorageBytes(TaskBytes);
            task.MarkMetered(TaskBytes);
            await db.SaveChangesAsync(Ct);
            return task.Id;
        });
    }
}
