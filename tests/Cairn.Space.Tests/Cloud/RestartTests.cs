using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// Space stopped while an install is in Installing and started again on the same data folder and database: the job
/// resumes, asks for the password again (it was held in memory only), then reaches Running, with exactly one order
/// and one charge.
/// </summary>
public abstract class RestartTests(DatabaseKind database)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_restart_during_installing_asks_for_the_password_again_and_then_runs_with_one_order_and_one_charge()
    {
        await using var space = new CloudSpace(database);
        var hold = new HoldInState(CloudInstanceState.Installing);
        await space.StartAsync(hold);

        var owner = await CloudClient.SignUpAsync(space);
        var source = RestoredTree.MakeSource(space.DataPath);
        var (_, taskId) = await owner.BackUpAsync(space, source);
        var admin = await CloudClient.OperatorAsync(space);
        (await admin.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{owner.Email}/top-up", new { amount = 500m }, Ct)).EnsureSuccessStatusCode();
        var placed = await owner.Api.PostAsJsonAsync("/api/v1/restores", new
        {
            backupId = taskId, provider = TestCatalog.Provider, region = TestCatalog.Region, hardware = TestCatalog.Hardware,
            instanceName = "after-restart", password = Restic.Password,
        }, Ct);
        placed.StatusCode.Should().Be(HttpStatusCode.Created);
        var order = (await placed.Content.ReadFromJsonAsync<OrderResponse>(Ct))!;
        order.State.Should().Be("Pending");

        // The job holds in Installing; Space stops under it.
        await hold.Reached.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        (await owner.OrderAsync(order.Id)).State.Should().Be("Installing");
        await space.StopAsync();

        // Started again on the same data: the job resumes and asks for the password, exactly as after a wrong one.
        await space.StartAsync();
        owner = await CloudClient.SignInAsync(space, owner.Email, CloudClient.AccountPassword);
        var asking = await owner.WaitForAsync(order.Id, "Restore_error");
        asking.Reason.Should().Be(CloudJobRunner.PasswordNeeded);
        (await owner.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/password", new { password = Restic.Password }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        var running = await owner.WaitForAsync(order.Id, "Running");
        RestoredTree.Describe(Trees.Restored(running.Disk!, source)).Should().Equal(RestoredTree.DescribeAsForeignRestore(source));

        // One order, one charge of its total, nothing lost or doubled.
        (await owner.Api.GetFromJsonAsync<OrderResponse[]>("/api/v1/restores", Ct)).Should().ContainSingle().Which.Id.Should().Be(order.Id);
        var ledger = await owner.LedgerAsync();
        ledger.Entries.Select(e => e.Kind).Should().Equal("TopUp", "Charge");
        ledger.Entries[1].OrderId.Should().Be(order.Id);
        ledger.Entries[1].Amount.Should().Be(-order.Total);
        ledger.Balance.Should().Be(500m - order.Total);

        await space.StopAsync();
        SecretSearch.FilesContaining(await StoppedDatabaseFilesAsync(space), Restic.Password).Should().BeEmpty();
        SecretSearch.FilesContaining(SecretSearch.AllFiles(space.DataPath), Restic.Password).Should().BeEmpty();
        space.Logs.Entries.Should().NotContain(e => e.Contains(Restic.Password, StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<string>> StoppedDatabaseFilesAsync(CloudSpace space)
        => space.Database == DatabaseKind.Sqlite ? [.. Directory.EnumerateFiles(space.DataPath, "space.db*")] : await space.DatabaseFilesAsync();

    /// <summary>Holds the job once it has saved <paramref name="state"/>, until Space stops.</summary>
    private sealed class HoldInState(CloudInstanceState state) : ICloudJobObserver
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public async ValueTask StateSavedAsync(Guid instanceId, CloudInstanceState saved, CancellationToken cancellationToken)
        {
            if (saved == state)
            {
                _reached.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }
}

public sealed class RestartTestsOnSqlite() : RestartTests(DatabaseKind.Sqlite);

public sealed class RestartTestsOnPostgres() : RestartTests(DatabaseKind.Postgres);
