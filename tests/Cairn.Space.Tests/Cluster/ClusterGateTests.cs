using System.Net.Http.Json;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Billing;
using Cairn.Space.CloudRestore;
using Cairn.Space.Data;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Infrastructure;
using static Cairn.Space.Tests.Infrastructure.ReplicaSet;
using Cairn.Space.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Cluster;

/// <summary>
/// Three Space replicas on one PostgreSQL database, each with its own process state: balance changes and metering go
/// through the database's gate, so concurrent requests spread over the replicas never overdraw an account, never
/// charge an order twice and accrue an interval once. The cloud job runner is left out: running the paid installs is
/// not what is tested here.
/// </summary>
public sealed class ClusterGateTests : IAsyncLifetime
{
    private const decimal OrderTotal = 6.90m; // the default catalog's local|host|small, with no storage above it
    private const long TaskBytes = 5_000_000_000;

    private readonly ReplicaSet _replicas;

    public ClusterGateTests()
    {
        _replicas = new ReplicaSet(3, _ => new Dictionary<string, string?> { ["Space:FreeBytesPerInstance"] = "0" });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _replicas.StartAsync(Ct);

    public ValueTask DisposeAsync() => _replicas.DisposeAsync();

    [Fact]
    public async Task Orders_and_top_ups_spread_over_three_replicas_never_overdraw_and_charge_each_order_once()
    {
        var (accountId, taskId, _) = await OwnerWithTaskAsync();
        var orders = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            // As the wizard's confirmation: the password was checked at its first step and waits as a draft (the task
            // here has no repository to check it against; this test is about the ledger).
            var draft = Guid.NewGuid();
            var placed = await InScope(_replicas[i % 3], sp =>
            {
                sp.GetRequiredService<BackupPasswordHolder>().PutDraft(draft, accountId, taskId, "a backup password");
                return sp.GetRequiredService<RestoreOrders>().PlaceAsync(accountId,
                    new RestoreSpec(taskId, null, "local", "host", "small", SpaceClient.NewInstanceName()), null, Ct, draft);
            });
            placed.Instance.State.Should().Be(CloudInstanceState.Unpaid, "the balance is zero");
            placed.Instance.Total.Should().Be(OrderTotal);
            orders.Add(placed.Instance.Id);
        }

        // At once: ten top-ups that together cover seven orders, and every order paid twice, each time on another replica.
        var work = new List<Task>();
        for (var i = 0; i < 10; i++)
        {
            var replica = _replicas[i % 3];
            work.Add(Task.Run(() => InScope(replica, sp => sp.GetRequiredService<Ledger>().TopUpAsync(accountId, OrderTotal * 7 / 10, "operator:cluster-test", Ct)), Ct));
        }

        for (var attempt = 0; attempt < 2; attempt++)
        {
            for (var i = 0; i < orders.Count; i++)
            {
                var (replica, order) = (_replicas[(i + attempt + 1) % 3], orders[i]);
                work.Add(Task.Run(() => PayAllowingRefusalAsync(replica, accountId, order), Ct));
            }
        }

        await Task.WhenAll(work);

        var ledger = await InScope(_replicas[0], sp => sp.GetRequiredService<Ledger>().EntriesAsync(accountId, Ct));
        var charges = ledger.Where(e => e.Kind == LedgerEntryKind.Charge).ToList();
        charges.GroupBy(c => c.OrderId).Should().OnlyContain(g => g.Count() == 1, "each order is charged once");
        charges.Should().HaveCountLessThanOrEqualTo(7, "the top-ups cover seven orders");
        ledger.Where(e => e.Kind == LedgerEntryKind.TopUp).Sum(e => e.Amount).Should().Be(OrderTotal * 7);
        var balance = await InScope(_replicas[1], sp => sp.GetRequiredService<Ledger>().BalanceAsync(accountId, Ct));
        balance.Should().Be(ledger.Sum(e => e.Amount)).And.Be(OrderTotal * (7 - charges.Count)).And.BeGreaterThanOrEqualTo(0);

        // The orders paid are exactly those charged, and every payment that was refused left its order Unpaid.
        var states = await InScope(_replicas[2], async sp => await sp.GetRequiredService<SpaceDbContext>().CloudInstances.AsNoTracking()
            .Where(c => orders.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.State, Ct));
        states.Where(s => s.Value != CloudInstanceState.Unpaid).Select(s => s.Key).Should().BeEquivalentTo(charges.Select(c => c.OrderId!.Value));
    }

    [Fact]
    public async Task An_interval_metered_by_three_replicas_at_the_same_moment_is_accrued_once()
    {
        var (_, taskId, instanceId) = await OwnerWithTaskAsync();
        var from = await InScope(_replicas[0], async sp => (await sp.GetRequiredService<SpaceDbContext>().Instances.AsNoTracking()
            .SingleAsync(i => i.Id == instanceId, Ct)).MeteredUntil);
        var to = from.AddHours(10);
        foreach (var replica in _replicas)
        {
            replica.Clock.Set(to);
        }

        await Task.WhenAll(Enumerable.Range(0, 9).Select(i => Task.Run(() => InScope(_replicas[i % 3],
            sp => sp.GetRequiredService<StorageMetering>().AccrueAsync(instanceId, Ct)), Ct)));

        var expected = MeteringMath.Accrue([(taskId, TaskBytes, TaskBytes)], freeBytes: 0, from, to).Sum(a => a.GbHours);
        expected.Should().BeGreaterThan(0);
        var meters = await InScope(_replicas[1], async sp => await sp.GetRequiredService<SpaceDbContext>().StorageMeters.AsNoTracking()
            .Where(m => m.TaskId == taskId).ToListAsync(Ct));
        meters.Sum(m => m.OverGbHours).Should().Be(expected, "ten hours of 5 GB, once, whatever replica accrued them");
    }

    /// <summary>An owner on replica 0 with an instance and a task of 5 GB with one snapshot record.</summary>
    private async Task<(Guid AccountId, Guid TaskId, Guid InstanceId)> OwnerWithTaskAsync()
    {
        var owner = await SpaceClient.SignUpAsync(_replicas[0]);
        var name = await owner.RegisterInstanceAsync();
        var accountId = (await owner.Api.GetFromJsonAsync<AccountResponse>("/api/v1/account", Ct))!.Id;
        return await InScope(_replicas[0], async sp =>
        {
            // The task as restic's first request would make it, then 5 GB stored and one snapshot listed.
            var db = sp.GetRequiredService<SpaceDbContext>();
            var instance = await db.Instances.SingleAsync(i => i.Name == name, Ct);
            var task = await sp.GetRequiredService<BackupTaskService>().GetOrCreateAsync(instance, "photos", Ct);
            task.SetStorageBytes(TaskBytes);
            task.MarkMetered(TaskBytes);
            db.Snapshots.Add(new SnapshotRecord(task.Id, new string('c', 64), _replicas[0].Clock.GetUtcNow()));
            await db.SaveChangesAsync(Ct);
            return (accountId, task.Id, instance.Id);
        });
    }

    private static async Task PayAllowingRefusalAsync(SpaceFactory replica, Guid accountId, Guid order)
    {
        try
        {
            await InScope(replica, sp => sp.GetRequiredService<RestoreOrders>().PayAsync(accountId, order, null, Ct));
        }
        catch (Exception e) when (e is PaymentRequiredException or ConflictException)
        {
            // Not covered yet, or paid a moment ago by the other attempt: both are answers a client gets.
        }
    }
}
