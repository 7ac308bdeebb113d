using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Backups;
using Cairn.Space.Billing;
using Cairn.Space.CloudRestore;
using Cairn.Space.Cluster.Tests.Infrastructure;
using Cairn.Space.Tests.Cloud;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;

namespace Cairn.Space.Cluster.Tests;

/// <summary>
/// A restore to a cloud instance whose replica dies (SIGKILL) while it installs: another replica takes the job over
/// once its lease runs out, asks the owner for the backup password once more (the dead one took it along), and
/// finishes it; the account has one order and one charge. Real processes, through the API.
/// </summary>
public sealed class CloudJobTakeoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_cloud_job_whose_replica_is_killed_is_finished_by_another_after_asking_for_the_password_once_more()
    {
        await using var cluster = await SpaceCluster.StartAsync(settings: new Dictionary<string, string>
        {
            ["Space:Cluster:JobLease"] = "00:00:05",
            // 96 MB at 16 MB/s: the install runs about 6 s, long enough to be seen and killed (unlimited, it can end
            // between two polls).
            ["Space:Cloud:RestoreReadLimit"] = "16000000",
        });
        var owner = await SpaceClient.SignUpAsync(cluster.Address);
        var instance = await owner.RegisterInstanceAsync();
        var credential = await owner.MintAsync(instance, task: "photos");
        var restic = new Restic(credential.RepositoryUrl);
        (await restic.RunAsync("init")).EnsureSuccess();
        // Big enough, at the read limit above, that the install is still running when its replica is killed.
        var source = RestoredTree.MakeSource(cluster.Folder);
        File.WriteAllBytes(Path.Combine(source, "large.bin"), Objects.Random(96_000_000));
        (await restic.RunAsync("backup", source)).EnsureSuccess();
        var task = (await owner.BackupsAsync()).Single();
        var admin = await cluster.OperatorAsync();
        (await admin.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{owner.Email}/top-up", new { amount = 500m }, Ct)).EnsureSuccessStatusCode();

        // Ordered (and paid) on the second replica directly: it holds the password and claims the job.
        var victim = cluster.Replicas[1];
        var onVictim = owner.At(victim.Address);
        var placed = await onVictim.Api.PostAsJsonAsync("/api/v1/restores", new
        {
            backupId = task.Id, provider = "local", region = "host", hardware = "small", instanceName = "taken-over", password = Restic.Password,
        }, Ct);
        placed.StatusCode.Should().Be(HttpStatusCode.Created, await placed.Content.ReadAsStringAsync(Ct));
        var order = (await placed.Content.ReadFromJsonAsync<OrderResponse>(Ct))!;
        await WaitForAsync(owner, order.Id, s => s == "Installing", TimeSpan.FromSeconds(60));
        await victim.KillAsync();

        // Another replica takes it over after the lease and, without the password, asks for it.
        var asking = await WaitForAsync(owner, order.Id, s => s == "Restore_error", TimeSpan.FromSeconds(90));
        asking.Reason.Should().Be(CloudJobRunner.PasswordNeeded, cluster.Diagnostics());
        (await owner.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/password", new { password = Restic.Password }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        var running = await WaitForAsync(owner, order.Id, s => s == "Running", TimeSpan.FromSeconds(180));
        var disk = running.Disk;
        disk.Should().NotBeNull().And.NotStartWith(victim.DataPath, "a live replica finished the job");
        RestoredTree.Describe(Trees.Restored(disk!, source)).Should().Equal(RestoredTree.DescribeAsForeignRestore(source));

        // One order and one charge.
        (await owner.Api.GetFromJsonAsync<OrderResponse[]>("/api/v1/restores", Ct)).Should().ContainSingle().Which.Id.Should().Be(order.Id);
        var ledger = (await owner.Api.GetFromJsonAsync<LedgerResponse>("/api/v1/billing/ledger", Ct))!;
        ledger.Entries.Select(e => e.Kind).Should().Equal("TopUp", "Charge");
        ledger.Entries.Single(e => e.Kind == "Charge").Amount.Should().Be(-running.Total);
        ledger.Balance.Should().Be(500m - running.Total);
    }

    private static async Task<OrderResponse> WaitForAsync(SpaceClient owner, Guid id, Func<string, bool> reached, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var order = (await owner.Api.GetFromJsonAsync<OrderResponse>($"/api/v1/restores/{id}", Ct))!;
            if (reached(order.State))
            {
                return order;
            }

            // A settled state that is not the one awaited (e.g. Running before Installing was seen) fails at once.
            if (DateTime.UtcNow > deadline || order.State is "Unpaid" or "Running" or "Restore_error" or "Errored" or "Canceled" or "Destroyed")
            {
                throw new InvalidOperationException($"order {id} is {order.State} ({order.Reason}: {order.Message})");
            }

            await Task.Delay(100, Ct);
        }
    }
}
