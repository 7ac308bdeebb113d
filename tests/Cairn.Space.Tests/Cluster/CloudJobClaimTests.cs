using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Cluster;
using Cairn.Space.Data;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Cloud;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Cluster;

/// <summary>
/// Three Space replicas on one PostgreSQL database, one data folder and one clock, each with its own replica id and
/// its own memory: a cloud job is claimed in the database and run by one replica only, the password stays with the
/// replica that received it, and a job whose replica stops heartbeating is taken over after its lease, asks for the
/// password once more and finishes with one order and one charge.
/// </summary>
public sealed class CloudJobClaimTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly CloudSpace _space = new(DatabaseKind.Postgres);
    private readonly List<SpaceFactory> _others = [];
    private readonly ConcurrentQueue<(string Replica, Guid Instance, CloudInstanceState State)> _saves = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _others)
        {
            await replica.DisposeAsync();
        }

        await _space.DisposeAsync();
    }

    [Fact]
    public async Task An_order_paid_on_another_replica_is_run_by_the_replica_holding_its_password_and_its_return_by_exactly_one()
    {
        var (first, second, third) = await StartThreeAsync();
        var owner = await CloudClient.SignUpAsync(_space);
        var source = RestoredTree.MakeSource(_space.DataPath);
        var (_, taskId) = await owner.BackUpAsync(_space, source);
        var onSecond = await CloudClient.SignInAsync(second.CreateClient(), owner.Email, CloudClient.AccountPassword);
        var onThird = await CloudClient.SignInAsync(third.CreateClient(), owner.Email, CloudClient.AccountPassword);

        // Placed on the second replica with a balance of zero: Unpaid, and the password stays in the second's memory.
        var order = await PlaceAsync(onSecond, taskId, "claimed-once");
        order.State.Should().Be("Unpaid");
        (await ClaimOfAsync(order.Id)).Should().Be("replica-1");

        // Topped up and paid on the third without a password: the second, which holds it, runs the install.
        await TopUpAsync(owner, 200m);
        (await onThird.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/pay", new { }, Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        var running = await onThird.WaitForAsync(order.Id, "Running", 120);
        RestoredTree.Describe(Trees.Restored(running.Disk!, source)).Should().Equal(RestoredTree.DescribeAsForeignRestore(source));
        SavesOf(order.Id).Should().OnlyContain(s => s.Replica == "replica-1").And.Contain(s => s.State == CloudInstanceState.Running);
        (await ClaimOfAsync(order.Id)).Should().BeNull("a Running instance is worked by no replica");

        // Returned on the first: whichever replica claims the Destroying job, exactly one destroys it.
        (await owner.Api.PostAsync("/api/v1/cloud-instances/claimed-once/return", null, Ct)).EnsureSuccessStatusCode();
        await owner.WaitForAsync(order.Id, "Destroyed", 60);
        await Task.Delay(TimeSpan.FromSeconds(6), Ct); // one more look by every replica
        SavesOf(order.Id).Where(s => s.State == CloudInstanceState.Destroyed).Should().ContainSingle("one replica ran the Destroying job");

        var ledger = await owner.LedgerAsync();
        ledger.Entries.Select(e => e.Kind).Should().Equal("TopUp", "Charge", "Refund");
        ledger.Entries.Where(e => e.Kind == "Charge").Should().ContainSingle().Which.OrderId.Should().Be(order.Id);
        _ = first;
    }

    [Fact]
    public async Task A_job_whose_replica_stops_heartbeating_is_taken_over_after_its_lease_asks_for_the_password_once_and_runs_with_one_charge()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (_, dying, third) = await StartThreeAsync(dyingSecond: hold);
        var owner = await CloudClient.SignUpAsync(_space);
        var source = RestoredTree.MakeSource(_space.DataPath);
        var (_, taskId) = await owner.BackUpAsync(_space, source);
        await TopUpAsync(owner, 500m);

        // Placed and paid on the second replica, which claims the job, saves Installing, then freezes: no beat, no release.
        var onDying = await CloudClient.SignInAsync(dying.CreateClient(), owner.Email, CloudClient.AccountPassword);
        var order = await PlaceAsync(onDying, taskId, "taken-over");
        order.State.Should().Be("Pending");
        await hold.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        await Task.Delay(TimeSpan.FromSeconds(6), Ct); // every live replica looks at least once while the lease holds
        (await owner.OrderAsync(order.Id)).State.Should().Be("Installing", "the lease of the frozen replica still holds");
        (await ClaimOfAsync(order.Id)).Should().Be("replica-1");

        // The lease runs out: another replica takes the job over and, without the password, asks for it again.
        _space.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var asking = await owner.WaitForAsync(order.Id, "Restore_error", 60);
        asking.Reason.Should().Be(CloudJobRunner.PasswordNeeded);
        SavesOf(order.Id).Where(s => s.State == CloudInstanceState.RestoreError).Should().ContainSingle()
            .Which.Replica.Should().NotBe("replica-1");

        // The password given on the third replica: it claims the job and finishes it.
        var onThird = await CloudClient.SignInAsync(third.CreateClient(), owner.Email, CloudClient.AccountPassword);
        (await onThird.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/password", new { password = Restic.Password }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        var running = await onThird.WaitForAsync(order.Id, "Running", 120);
        RestoredTree.Describe(Trees.Restored(running.Disk!, source)).Should().Equal(RestoredTree.DescribeAsForeignRestore(source));
        var afterTakeover = SavesOf(order.Id).SkipWhile(s => s.State != CloudInstanceState.RestoreError).Skip(1).ToList();
        afterTakeover.Should().NotBeEmpty().And.OnlyContain(s => s.Replica == "replica-2");

        // The frozen replica goes away; it writes nothing more, and the order was charged once.
        await dying.DisposeAsync();
        _others.Remove(dying);
        (await owner.OrderAsync(order.Id)).State.Should().Be("Running");
        (await owner.Api.GetFromJsonAsync<OrderResponse[]>("/api/v1/restores", Ct)).Should().ContainSingle().Which.Id.Should().Be(order.Id);
        var ledger = await owner.LedgerAsync();
        ledger.Entries.Select(e => e.Kind).Should().Equal("TopUp", "Charge");
        ledger.Entries[1].Amount.Should().Be(-order.Total);
        ledger.Balance.Should().Be(500m - order.Total);
        _space.Logs.Entries.Should().NotContain(e => e.Contains(Restic.Password, StringComparison.Ordinal));
    }

    /// <summary>
    /// Replicas "replica-0" (the space's current host, where restic backs up), "replica-1" and "replica-2". With
    /// <paramref name="dyingSecond"/>, the second has no heartbeat and freezes its job once it saved Installing,
    /// completing the source to say so, until it is disposed.
    /// </summary>
    private async Task<(SpaceFactory First, SpaceFactory Second, SpaceFactory Third)> StartThreeAsync(TaskCompletionSource? dyingSecond = null)
    {
        await _space.StartAsync(new Recorder("replica-0", _saves, null), Replica("replica-0", heartbeat: true));
        var second = _space.StartReplica(new Recorder("replica-1", _saves, dyingSecond), Replica("replica-1", heartbeat: dyingSecond is null));
        _others.Add(second);
        var third = _space.StartReplica(new Recorder("replica-2", _saves, null), Replica("replica-2", heartbeat: true));
        _others.Add(third);
        return (_space.Running, second, third);
    }

    private static Action<IServiceCollection> Replica(string id, bool heartbeat) => services =>
    {
        services.AddSingleton(new ClusterSettings { ReplicaId = id, JobLease = Lease });
        if (!heartbeat)
        {
            services.Remove(services.Single(d => d.ImplementationType == typeof(CloudJobHeartbeat)));
        }
    };

    private List<(string Replica, Guid Instance, CloudInstanceState State)> SavesOf(Guid id) => [.. _saves.Where(s => s.Instance == id)];

    private static async Task<OrderResponse> PlaceAsync(CloudClient owner, Guid taskId, string name)
    {
        var placed = await owner.Api.PostAsJsonAsync("/api/v1/restores", new
        {
            backupId = taskId, provider = TestCatalog.Provider, region = TestCatalog.Region, hardware = TestCatalog.Hardware,
            instanceName = name, password = Restic.Password,
        }, Ct);
        placed.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await placed.Content.ReadFromJsonAsync<OrderResponse>(Ct))!;
    }

    private async Task TopUpAsync(CloudClient owner, decimal amount)
    {
        var admin = await CloudClient.OperatorAsync(_space);
        (await admin.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{owner.Email}/top-up", new { amount }, Ct)).EnsureSuccessStatusCode();
    }

    private async Task<string?> ClaimOfAsync(Guid id)
    {
        await using var scope = _space.Running.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SpaceDbContext>().CloudInstances.AsNoTracking()
            .Where(c => c.Id == id).Select(c => c.ClaimedBy).SingleAsync(Ct);
    }

    /// <summary>Records every state a replica saved; with <paramref name="freezeAfterInstalling"/>, holds the job there until Space stops.</summary>
    private sealed class Recorder(string replica, ConcurrentQueue<(string, Guid, CloudInstanceState)> saves, TaskCompletionSource? freezeAfterInstalling)
        : ICloudJobObserver
    {
        public async ValueTask StateSavedAsync(Guid instanceId, CloudInstanceState state, CancellationToken cancellationToken)
        {
            saves.Enqueue((replica, instanceId, state));
            if (state == CloudInstanceState.Installing && freezeAfterInstalling is not null)
            {
                freezeAfterInstalling.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }
}
