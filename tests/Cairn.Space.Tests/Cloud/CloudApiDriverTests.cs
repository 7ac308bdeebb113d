using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Cairn.Space.CloudRestore;
using Cairn.Space.CloudRestore.CloudApi;
using Cairn.Space.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// The cloud-api driver against a fake provider API (<see cref="FakeCloudProvider"/>) whose servers "boot" on the
/// network-namespace host with sshd (<see cref="SshTestHost"/>): a restore through the API verified on that host and
/// returned (the server deleted, a refund); provisioning again after the API made a server Space did not record
/// makes no second one; the API token in no database file, data file, log or user data; an API refusal (422 over
/// quota) as the order's reason.
/// </summary>
public abstract class CloudApiDriverTests(DatabaseKind database)
{
    private const string Provider = "apicloud";
    private const string Region = "fsn1";
    private const string Hardware = "small";
    private const string ServerType = "cx22";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_restore_through_the_api_runs_on_the_server_it_made_and_return_deletes_that_server()
    {
        Assert.SkipWhen(SshTestHost.WhyNot() is not null, SshTestHost.WhyNot() ?? "");
        await using var setup = await SetUpAsync();
        var (host, api, space, token) = (setup.Host, setup.Api, setup.Space, setup.Token);
        var password = $"cloud api password {Guid.NewGuid():N}";
        var owner = await CloudClient.SignUpAsync(space);
        (await owner.Api.GetStringAsync("/api/v1/catalog", Ct)).Should().Contain("\"driver\":\"cloud-api\"")
            .And.NotContain(api.BaseUrl, "the provider's API is the operator's business").And.NotContain("tokenVariable");

        var source = RawDisk.MakeOddTree(space.DataPath);
        var (_, taskId) = await owner.BackUpWithCairnAsync(space, source, "odd", password);
        var task = (await owner.Api.GetFromJsonAsync<Backups.BackupDetailsResponse>($"/api/v1/backups/{taskId}", Ct))!;
        var order = await PlaceAndPayAsync(space, owner, taskId, "api-box", password);
        var paidAt = space.Clock.GetUtcNow();
        var running = await owner.WaitForAsync(order.Id, "Running", 180);

        // One server, made from the catalog's image and type with Space's key and user data that holds no secret.
        var created = api.Created.Should().ContainSingle().Subject;
        (created.Name, created.Region, created.ServerType, created.Image).Should().Be((CloudApiDriver.ServerName(order.Id), Region, ServerType, "debian-12"));
        created.SshKeys.Should().ContainSingle().Which.Should().StartWith("ssh-ed25519 ");
        created.UserData.Should().StartWith("#cloud-config\n").And.Contain($"name: {host.User}").And.Contain(host.TargetFolder)
            .And.NotContain(password).And.NotContain(token);
        var disk = Path.Combine(host.TargetFolder, order.Id.ToString("N"), "disk");
        running.Disk.Should().Be($"ssh://{host.User}@{host.Address}:22{disk}");
        RawDisk.Describe(Trees.Restored(disk, source)).Should().Equal(RawDisk.Describe(source, host.Account, 0x1C0),
            "the tree is the source's, restored on the server the API made, owned by its user");
        Directory.Exists(Path.Combine(space.DataPath, "cloud")).Should().BeFalse("nothing is restored on the Space host");
        api.Unauthorized.Should().Be(0, "every call carried the token");

        // Returned ten days in: the server is deleted at the provider and the rest of the month comes back.
        space.Clock.Advance(TimeSpan.FromDays(10));
        var returnedAt = space.Clock.GetUtcNow();
        var returned = await owner.Api.PostAsync("/api/v1/cloud-instances/api-box/return", null, Ct);
        returned.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var refund = (await returned.Content.ReadFromJsonAsync<ReturnResponse>(Ct))!;
        var (instancePrice, storagePrice, _) = TestCatalog.Expected(task.StorageBytes);
        var periodEnd = paidAt.AddMonths(1);
        var expectedRefund = decimal.Round((instancePrice + storagePrice) * (decimal)((periodEnd - returnedAt).Ticks / (double)(periodEnd - paidAt).Ticks), 2,
            MidpointRounding.ToZero);
        refund.Refund.Should().BeApproximately(expectedRefund, 0.01m).And.BeGreaterThan(0);
        await owner.WaitForAsync(order.Id, "Destroyed");
        api.Deleted.Should().ContainSingle("Return deletes the one server");
        api.Servers.Should().BeEmpty();
        Directory.Exists(Path.GetDirectoryName(disk)).Should().BeFalse("the server's disk went with it");
        (await owner.LedgerAsync()).Entries.Select(e => e.Kind).Should().Equal("TopUp", "Charge", "Refund");

        foreach (var secret in (string[])[token, password])
        {
            SecretSearch.FilesContaining(await space.DatabaseFilesAsync(), secret).Should().BeEmpty("the database holds neither the API token nor the password");
            SecretSearch.FilesContaining(SecretSearch.AllFiles(space.DataPath), secret).Should().BeEmpty();
            SecretSearch.FilesContaining(SecretSearch.AllFiles(host.Scratch), secret).Should().BeEmpty("the server holds neither");
            space.Logs.Entries.Should().NotContain(e => e.Contains(secret, StringComparison.Ordinal), "no log entry holds it");
        }
    }

    [Fact]
    public async Task Provisioning_again_after_the_api_made_a_server_space_did_not_record_makes_no_second_one()
    {
        Assert.SkipWhen(SshTestHost.WhyNot() is not null, SshTestHost.WhyNot() ?? "");
        await using var setup = await SetUpAsync();
        var services = setup.Space.Running.Services;
        var driver = services.GetServices<ICloudDriver>().OfType<CloudApiDriver>().Single();
        var request = new CloudMachineRequest(Guid.NewGuid(), "crashed", services.GetRequiredService<CloudCatalog>().Resolve(Provider, Region, Hardware));

        // The first call's result is what a crash before the database update loses; the second is the job run again.
        var lost = await driver.ProvisionAsync(request, Ct);
        var again = await driver.ProvisionAsync(request, Ct);
        setup.Api.Created.Should().ContainSingle("the second call found the server by its name");
        again.Should().Be(lost);
        setup.Space.Logs.Entries.Should().Contain(e => e.Contains("already: not making another", StringComparison.Ordinal));

        // Destroy as the job runner does it, from the saved disk only: found by name, deleted; then done already.
        await driver.DestroyAsync(new CloudMachine(request.InstanceId, again.Disk, Provider), Ct);
        setup.Api.Deleted.Should().Equal(long.Parse(again.ServerId!, CultureInfo.InvariantCulture));
        await driver.DestroyAsync(new CloudMachine(request.InstanceId, again.Disk, Provider), Ct);
        await driver.DestroyAsync(again, Ct); // the API answers 404: gone counts as done
        setup.Api.Deleted.Should().ContainSingle();
    }

    [Fact]
    public async Task An_api_refusal_to_create_the_server_is_the_orders_reason()
    {
        Assert.SkipWhen(SshTestHost.WhyNot() is not null, SshTestHost.WhyNot() ?? "");
        await using var setup = await SetUpAsync();
        setup.Api.RefuseCreation = "server limit of 5 reached for this project";
        var owner = await CloudClient.SignUpAsync(setup.Space);
        var (_, taskId) = await owner.BackUpWithCairnAsync(setup.Space, Trees.MakeSource(setup.Space.DataPath, 10_000), "docs", "quota password");
        var order = await PlaceAndPayAsync(setup.Space, owner, taskId, "over-quota", "quota password");

        var failed = await owner.WaitForAsync(order.Id, "Errored", 120);
        failed.Reason.Should().Contain("422").And.Contain("server limit of 5 reached").And.Contain($"provider '{Provider}'");
        failed.Reason.Should().NotContain(setup.Token);
        setup.Api.Servers.Should().BeEmpty();

        // Returned with no disk saved: the driver still asks the API (a server may exist), finds none, and is done.
        (await owner.Api.PostAsync("/api/v1/cloud-instances/over-quota/return", null, Ct)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await owner.WaitForAsync(order.Id, "Destroyed");
        setup.Api.Deleted.Should().BeEmpty();
    }

    [Fact]
    public async Task A_server_that_never_boots_fails_the_order_in_bounded_time_and_return_still_deletes_it()
    {
        Assert.SkipWhen(SshTestHost.WhyNot() is not null, SshTestHost.WhyNot() ?? "");
        await using var setup = await SetUpAsync(bootSeconds: 10);
        setup.Api.PollsBeforeRunning = int.MaxValue;
        var owner = await CloudClient.SignUpAsync(setup.Space);
        var (_, taskId) = await owner.BackUpWithCairnAsync(setup.Space, Trees.MakeSource(setup.Space.DataPath, 10_000), "docs", "boot password");
        var order = await PlaceAndPayAsync(setup.Space, owner, taskId, "never-boots", "boot password");

        var failed = await owner.WaitForAsync(order.Id, "Errored", 60);
        failed.Reason.Should().Contain("still 'initializing' after 10 s");
        failed.Disk.Should().BeNull();
        (await owner.Api.PostAsync("/api/v1/cloud-instances/never-boots/return", null, Ct)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await owner.WaitForAsync(order.Id, "Destroyed");
        setup.Api.Deleted.Should().ContainSingle("the server made before the timeout is found by name and deleted");
        setup.Api.Servers.Should().BeEmpty();
    }

    private static async Task<OrderResponse> PlaceAndPayAsync(CloudSpace space, CloudClient owner, Guid taskId, string name, string password)
    {
        var admin = await CloudClient.OperatorAsync(space);
        (await admin.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{owner.Email}/top-up", new { amount = 500m }, Ct)).EnsureSuccessStatusCode();
        var order = (await (await owner.Api.PostAsJsonAsync("/api/v1/restores", new
        {
            backupId = taskId, provider = Provider, region = Region, hardware = Hardware, instanceName = name, password,
        }, Ct)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<OrderResponse>(Ct))!;
        if (order.State == "Unpaid")
        {
            (await owner.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/pay", new { }, Ct)).EnsureSuccessStatusCode();
        }

        return order;
    }

    private async Task<Setup> SetUpAsync(int bootSeconds = 60)
    {
        var token = $"api-token-{Guid.NewGuid():N}";
        var variable = $"CAIRN_TEST_CLOUD_TOKEN_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, token);
        var host = await SshTestHost.StartAsync();
        var api = await FakeCloudProvider.StartAsync(host, token);
        var space = new CloudSpace(database);
        await File.WriteAllTextAsync(space.CatalogPath, CatalogJson(api.BaseUrl, host, variable, bootSeconds), Ct);
        await space.StartAsync();
        return new Setup(host, api, space, token, variable);
    }

    /// <summary>One cloud-api provider priced as <see cref="TestCatalog"/>, its servers made as the host's user and folder.</summary>
    private static string CatalogJson(string baseUrl, SshTestHost host, string tokenVariable, int bootSeconds) => string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "currency": "EUR",
          "providers": [
            {
              "id": "{{Provider}}", "name": "API Cloud (a fake provider API)", "driver": "cloud-api",
              "cloudApi": { "baseUrl": "{{baseUrl}}", "image": "debian-12", "user": "{{host.User}}", "targetFolder": "{{host.TargetFolder}}",
                            "serverTypes": { "{{Hardware}}": "{{ServerType}}" }, "tokenVariable": "{{tokenVariable}}", "bootSeconds": {{bootSeconds}} },
              "regions": [ { "id": "{{Region}}", "name": "Falkenstein", "hardware": [
                { "id": "{{Hardware}}", "name": "Small", "vcpu": 2, "memoryGb": 4, "diskGb": 40, "monthlyPrice": {{TestCatalog.MonthlyPrice}},
                  "includedStorageGb": {{TestCatalog.IncludedStorageGb}}, "includedTrafficGb": {{TestCatalog.IncludedTrafficGb}} } ] } ],
              "storageTiers": [ { "upToGb": null, "pricePerGbMonth": {{TestCatalog.StoragePerGbMonth}} } ],
              "bandwidthTiers": [ { "upToGb": null, "pricePerGb": {{TestCatalog.TrafficPerGb}} } ]
            }
          ]
        }
        """);

    private sealed record Setup(SshTestHost Host, FakeCloudProvider Api, CloudSpace Space, string Token, string Variable) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Space.DisposeAsync();
            await Api.DisposeAsync();
            await Host.DisposeAsync();
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }
}

public sealed class CloudApiDriverTestsOnSqlite() : CloudApiDriverTests(DatabaseKind.Sqlite);

public sealed class CloudApiDriverTestsOnPostgres() : CloudApiDriverTests(DatabaseKind.Postgres);
