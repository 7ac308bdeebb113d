using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// Restoring a snapshot to a new cloud instance through the API, with the real restic making the backup and the
/// local driver really restoring it: quote, a wrong password refused before any order (422), an order the balance
/// cannot cover, top-up, payment, a forgotten password (Restore_error), the right one, the restored folder, names, return with refund, the ledger, and the password nowhere on disk.
/// </summary>
public abstract class RestoreFlowTests(CloudFixture fixture)
{
    public const string WrongPassword = "definitely not the backup password";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CloudSpace Space => fixture.Space;

    private static object Restore(Guid backupId, string name, string? password = null, string? snapshotId = null)
        => new { backupId, snapshotId, provider = TestCatalog.Provider, region = TestCatalog.Region, hardware = TestCatalog.Hardware, instanceName = name, password };

    [Fact]
    public async Task The_whole_path_from_an_unpaid_order_to_a_verified_restore_a_refused_name_and_a_refunded_return()
    {
        var owner = await CloudClient.SignUpAsync(Space);
        var source = RestoredTree.MakeSource(Space.DataPath);
        var (backupInstance, taskId) = await owner.BackUpAsync(Space, source);
        var task = await owner.Api.GetFromJsonAsync<BackupDetailsResponse>($"/api/v1/backups/{taskId}", Ct);
        var name = $"restored-{Guid.NewGuid():N}"[..20];

        // (a) + (b): the latest snapshot by default, its size unknown to Space (restic does not report it), so the task's bytes stand in.
        var quoteResponse = await owner.Api.PostAsJsonAsync("/api/v1/restores/quote", Restore(taskId, name), Ct);
        quoteResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        var quote = (await quoteResponse.Content.ReadFromJsonAsync<QuoteResponse>(Ct))!;
        quote.Snapshot.Id.Should().Be(task!.Snapshots.Should().ContainSingle().Subject.Id);
        quote.Snapshot.Time.Should().Be(task.Snapshots[0].Time);
        quote.Snapshot.SizeFromTask.Should().BeTrue();
        quote.Snapshot.SizeBytes.Should().Be(task.StorageBytes);
        quote.SizeNote.Should().Contain("stored bytes");
        var (instancePrice, storagePrice, trafficPrice) = TestCatalog.Expected(task.StorageBytes);
        quote.Lines.Select(l => (l.Kind, l.Amount)).Should().Equal(("Instance", instancePrice), ("Storage", storagePrice), ("Traffic", trafficPrice));
        storagePrice.Should().BeGreaterThan(0);
        trafficPrice.Should().BeGreaterThan(0);
        quote.Total.Should().Be(instancePrice + storagePrice + trafficPrice);

        // (c) a wrong password is refused before anything is ordered or charged: 422 with one line, no order, no ledger entry.
        var wrong = await owner.Api.PostAsJsonAsync("/api/v1/restores", Restore(taskId, name, WrongPassword), Ct);
        wrong.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        wrong.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = (await wrong.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(Ct))!;
        problem.Detail.Should().Contain("password is wrong").And.NotContain("\n");
        (await owner.Api.GetFromJsonAsync<OrderResponse[]>("/api/v1/restores", Ct)).Should().BeEmpty();
        (await owner.LedgerAsync()).Entries.Should().BeEmpty();
        (await owner.LedgerAsync()).Balance.Should().Be(0);

        // With the right one and a balance of zero: the order stays Unpaid, says why, and nothing is provisioned.
        var placed = await owner.Api.PostAsJsonAsync("/api/v1/restores", Restore(taskId, name, Restic.Password), Ct);
        placed.StatusCode.Should().Be(HttpStatusCode.Created);
        var order = (await placed.Content.ReadFromJsonAsync<OrderResponse>(Ct))!;
        order.State.Should().Be("Unpaid");
        order.Message.Should().Contain("does not cover").And.Contain("nothing is provisioned");
        order.Lines.Should().BeEquivalentTo(quote.Lines, o => o.WithStrictOrdering());
        var pay = await owner.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/pay", new { }, Ct);
        pay.StatusCode.Should().Be(HttpStatusCode.PaymentRequired);
        (await pay.Content.ReadAsStringAsync(Ct)).Should().Contain("does not cover");
        await Task.Delay(300, Ct);
        (await owner.OrderAsync(order.Id)).State.Should().Be("Unpaid");
        (await owner.CloudInstanceAsync(name)).Disk.Should().BeNull();
        Directory.Exists(Path.Combine(Space.DataPath, "cloud", order.Id.ToString("N"))).Should().BeFalse();
        (await owner.LedgerAsync()).Entries.Should().BeEmpty();

        // The operator tops up; only the operator may.
        (await owner.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{owner.Email}/top-up", new { amount = 100m }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var admin = await CloudClient.OperatorAsync(Space);
        (await admin.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{owner.Email}/top-up", new { amount = 100m }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        // Paying with a wrong replacement password is refused before the charge, too.
        var wrongPay = await owner.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/pay", new { password = WrongPassword }, Ct);
        wrongPay.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await owner.LedgerAsync()).Entries.Select(e => e.Kind).Should().Equal("TopUp");
        (await owner.OrderAsync(order.Id)).State.Should().Be("Unpaid");

        // Space forgets the password it held (as a restart would); paid, the install asks for it again: Restore_error.
        Space.Running.Services.GetRequiredService<BackupPasswordHolder>().Forget(order.Id);
        var paidAt = Space.Clock.GetUtcNow();
        (await owner.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/pay", new { }, Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        var refused = await owner.WaitForAsync(order.Id, "Restore_error");
        refused.Reason.Should().Contain("Enter the backup password again");
        (refused.Disk is null || !Directory.EnumerateFileSystemEntries(refused.Disk).Any()).Should().BeTrue("nothing is restored without the password");

        // The right password resumes the install: Running, and the disk holds the source as it was backed up.
        (await owner.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/password", new { password = Restic.Password }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        var running = await owner.WaitForAsync(order.Id, "Running");
        var instance = await owner.CloudInstanceAsync(name);
        instance.State.Should().Be("Running");
        instance.Disk.Should().Be(running.Disk).And.StartWith(Space.DataPath);
        RestoredTree.Describe(Trees.Restored(instance.Disk!, source)).Should().Equal(RestoredTree.DescribeAsForeignRestore(source));

        // One charge, traceable to the order, equal to what step (b) showed.
        var ledger = await owner.LedgerAsync();
        ledger.Entries.Select(e => e.Kind).Should().Equal("TopUp", "Charge");
        ledger.Entries[0].Reference.Should().StartWith("operator:");
        ledger.Entries[1].OrderId.Should().Be(order.Id);
        ledger.Entries[1].Amount.Should().Be(-quote.Total);
        ledger.Balance.Should().Be(100m - quote.Total);
        (await owner.OrderAsync(order.Id)).Lines.Should().BeEquivalentTo(quote.Lines, o => o.WithStrictOrdering());

        // The name is taken until that instance is returned.
        var clash = await owner.Api.PostAsJsonAsync("/api/v1/restores", Restore(taskId, name, Restic.Password), Ct);
        clash.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await clash.Content.ReadAsStringAsync(Ct)).Should().Contain("return that instance first");
        (await owner.Api.PostAsJsonAsync("/api/v1/restores/quote", Restore(taskId, name), Ct)).StatusCode.Should().Be(HttpStatusCode.Conflict);

        // Returned ten days into its month: the unused part of instance and storage comes back, pro rata; traffic was spent.
        Space.Clock.Advance(TimeSpan.FromDays(10));
        var returnedAt = Space.Clock.GetUtcNow();
        var returned = await owner.Api.PostAsync($"/api/v1/cloud-instances/{name}/return", null, Ct);
        returned.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var refund = (await returned.Content.ReadFromJsonAsync<ReturnResponse>(Ct))!;
        var periodEnd = paidAt.AddMonths(1);
        var expectedRefund = decimal.Round((instancePrice + storagePrice) * (decimal)((periodEnd - returnedAt).Ticks / (double)(periodEnd - paidAt).Ticks), 2,
            MidpointRounding.ToZero);
        refund.Refund.Should().BeApproximately(expectedRefund, 0.01m).And.BeGreaterThan(0).And.BeLessThan(instancePrice + storagePrice);
        refund.Instance.State.Should().BeOneOf("Destroying", "Destroyed");
        await owner.WaitForAsync(order.Id, "Destroyed");
        Directory.Exists(instance.Disk).Should().BeFalse();
        ledger = await owner.LedgerAsync();
        ledger.Entries.Select(e => e.Kind).Should().Equal("TopUp", "Charge", "Refund");
        ledger.Entries[2].OrderId.Should().Be(order.Id);
        ledger.Entries[2].Amount.Should().Be(refund.Refund);
        (await owner.Api.PostAsync($"/api/v1/cloud-instances/{name}/return", null, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // The name is free again.
        var again = await owner.Api.PostAsJsonAsync("/api/v1/restores", Restore(taskId, name, Restic.Password), Ct);
        again.StatusCode.Should().Be(HttpStatusCode.Created);
        var second = (await again.Content.ReadFromJsonAsync<OrderResponse>(Ct))!;
        second.State.Should().NotBe("Unpaid");
        await owner.WaitForAsync(second.Id, "Running");

        // Neither password is in the database files, the logs or the data folder.
        await AssertNoSecretAsync(Restic.Password);
        await AssertNoSecretAsync(WrongPassword);
        _ = backupInstance;
    }

    [Fact]
    public async Task A_quote_names_what_is_unknown_and_is_priced_by_stored_bytes_whatever_the_client_reports()
    {
        var owner = await CloudClient.SignUpAsync(Space);
        var source = Trees.MakeSource(Space.DataPath, 100_000);
        var (_, taskId) = await owner.BackUpAsync(Space, source, "small");
        var snapshot = (await owner.Api.GetFromJsonAsync<BackupDetailsResponse>($"/api/v1/backups/{taskId}", Ct))!.Snapshots.Single();

        async Task<(HttpStatusCode, string)> QuoteAsync(object body)
        {
            var response = await owner.Api.PostAsJsonAsync("/api/v1/restores/quote", body, Ct);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        }

        var unknown = await QuoteAsync(new { backupId = taskId, provider = "nope", region = "lab", hardware = "tiny" });
        unknown.Item1.Should().Be(HttpStatusCode.BadRequest);
        unknown.Item2.Should().Contain("unknown provider");
        (await QuoteAsync(new { backupId = taskId, provider = TestCatalog.Provider, region = "moon", hardware = "tiny" })).Item2.Should().Contain("no region 'moon'");
        (await QuoteAsync(new { backupId = taskId, provider = TestCatalog.Provider, region = TestCatalog.Region, hardware = "huge" })).Item2
            .Should().Contain("no hardware 'huge'");
        (await QuoteAsync(new { backupId = taskId, provider = "elsewhere", region = "r1", hardware = "h1" })).Item2.Should().Contain("driver 'openstack'");
        (await QuoteAsync(new { backupId = Guid.NewGuid(), provider = TestCatalog.Provider, region = TestCatalog.Region, hardware = TestCatalog.Hardware }))
            .Item1.Should().Be(HttpStatusCode.NotFound);
        (await QuoteAsync(Restore(taskId, "x", snapshotId: "ffffffffff"))).Item1.Should().Be(HttpStatusCode.NotFound);

        // The client reports the snapshot's size: shown, but the quote (by full ID or prefix) stays priced by the task's stored
        // bytes, so no report makes a restore cheaper or dearer; an implausible report is refused. The instance name
        // defaults to the task's instance.
        var backup = (await owner.Api.GetFromJsonAsync<BackupResponse[]>("/api/v1/backups", Ct))!.Single(b => b.Id == taskId);
        var credential = await (await owner.Api.PostAsJsonAsync($"/api/v1/instances/{backup.Instance}/credentials", new { task = "small" }, Ct))
            .Content.ReadFromJsonAsync<MintedCredentialResponse>(Ct);
        var repo = Space.CreateClient();
        repo.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{credential!.Username}:{credential.Secret}")));
        var path = new Uri(credential.RepositoryUrlWithoutSecret["rest:".Length..]).AbsolutePath;
        (await repo.PutAsJsonAsync($"{path}snapshots/{snapshot.Id}/stats", new { fileCount = 22, totalBytes = 5_000_000_000_000L }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.UnprocessableEntity);
        (await repo.PutAsJsonAsync($"{path}snapshots/{snapshot.Id}/stats", new { fileCount = 22, totalBytes = 1 }, Ct)).EnsureSuccessStatusCode();
        var (status, body) = await QuoteAsync(new { backupId = taskId, snapshotId = snapshot.ShortId, provider = TestCatalog.Provider,
            region = TestCatalog.Region, hardware = TestCatalog.Hardware });
        status.Should().Be(HttpStatusCode.OK, body);
        var quote = System.Text.Json.JsonSerializer.Deserialize<QuoteResponse>(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        quote.Snapshot.SizeBytes.Should().Be(backup.StorageBytes);
        quote.Snapshot.SizeFromTask.Should().BeTrue();
        quote.SizeNote.Should().Contain("stored bytes");
        quote.InstanceName.Should().Be(backup.Instance);
        var (instance, storage, traffic) = TestCatalog.Expected(backup.StorageBytes);
        quote.Lines.Select(l => l.Amount).Should().Equal(instance, storage, traffic);
    }

    [Fact]
    public async Task An_unpaid_order_can_be_canceled_and_frees_its_name_without_any_ledger_entry()
    {
        var owner = await CloudClient.SignUpAsync(Space);
        var (_, taskId) = await owner.BackUpAsync(Space, Trees.MakeSource(Space.DataPath, 10_000), "tiny");
        var name = $"c{Guid.NewGuid():N}"[..12];
        var order = (await (await owner.Api.PostAsJsonAsync("/api/v1/restores", Restore(taskId, name, Restic.Password), Ct))
            .Content.ReadFromJsonAsync<OrderResponse>(Ct))!;
        order.State.Should().Be("Unpaid");
        (await owner.Api.PostAsJsonAsync("/api/v1/restores", Restore(taskId, name, Restic.Password), Ct)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await owner.Api.PostAsync($"/api/v1/cloud-instances/{name}/return", null, Ct)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await owner.Api.PostAsync($"/api/v1/restores/{order.Id}/cancel", null, Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await owner.OrderAsync(order.Id)).State.Should().Be("Canceled");
        (await owner.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/pay", new { }, Ct)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await owner.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/password", new { password = "x" }, Ct)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await owner.Api.PostAsJsonAsync("/api/v1/restores/quote", Restore(taskId, name), Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await owner.LedgerAsync()).Entries.Should().BeEmpty();

        // Another account sees none of it.
        var stranger = await CloudClient.SignUpAsync(Space);
        (await stranger.Api.GetAsync($"/api/v1/restores/{order.Id}", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.Api.PostAsJsonAsync("/api/v1/restores/quote", Restore(taskId, "y"), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private async Task AssertNoSecretAsync(string secret)
    {
        SecretSearch.FilesContaining(await Space.DatabaseFilesAsync(), secret).Should().BeEmpty("the database never holds a backup password");
        SecretSearch.FilesContaining(SecretSearch.AllFiles(Space.DataPath), secret).Should().BeEmpty("no file of the data folder holds it");
        Space.Logs.Entries.Should().NotContain(e => e.Contains(secret, StringComparison.Ordinal), "no log entry holds it");
        Space.Logs.Entries.Should().NotBeEmpty();
    }
}

/// <summary>A <see cref="CloudSpace"/> started once for a test class.</summary>
public abstract class CloudFixture(DatabaseKind database) : IAsyncLifetime
{
    private CloudSpace? _space;

    public CloudSpace Space => _space ?? throw new InvalidOperationException("the fixture has not started");

    public async ValueTask InitializeAsync()
    {
        _space = new CloudSpace(database);
        await _space.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_space is not null)
        {
            await _space.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class CloudSqliteSpace() : CloudFixture(DatabaseKind.Sqlite);

public sealed class CloudPostgresSpace() : CloudFixture(DatabaseKind.Postgres);

public sealed class RestoreFlowTestsOnSqlite(CloudSqliteSpace fixture) : RestoreFlowTests(fixture), IClassFixture<CloudSqliteSpace>;

public sealed class RestoreFlowTestsOnPostgres(CloudPostgresSpace fixture) : RestoreFlowTests(fixture), IClassFixture<CloudPostgresSpace>;
