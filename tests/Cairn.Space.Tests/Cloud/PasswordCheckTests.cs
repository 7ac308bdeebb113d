using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Cairn.Repository;
using Cairn.Repository.Json;
using Cairn.Space.Backups.PasswordCheck;
using Cairn.Space.Backups.Stores;
using Cairn.Space.CloudRestore;
using Cairn.Space.Data;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// The backup password is checked against the task repository's keys before anyone pays: a wrong one is answered
/// 422 with no order and no ledger entry, the right one goes through to Running, and a key file asking scrypt for
/// absurd work is not tried at all.
/// </summary>
public sealed class PasswordCheckTests(CloudSqliteSpace fixture) : IClassFixture<CloudSqliteSpace>
{
    private const string WrongPassword = "not the password of this repository";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CloudSpace Space => fixture.Space;

    private static object Restore(Guid backupId, string name, string? password)
        => new { backupId, provider = TestCatalog.Provider, region = TestCatalog.Region, hardware = TestCatalog.Hardware, instanceName = name, password };

    [Fact]
    public async Task A_wrong_password_is_refused_with_422_before_any_order_or_charge_and_the_right_one_runs()
    {
        var owner = await CloudClient.SignUpAsync(Space);
        var (_, taskId) = await owner.BackUpAsync(Space, Trees.MakeSource(Space.DataPath, 10_000), "tiny");
        var admin = await CloudClient.OperatorAsync(Space);
        (await admin.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{owner.Email}/top-up", new { amount = 100m }, Ct)).EnsureSuccessStatusCode();
        var name = $"p{Guid.NewGuid():N}"[..12];

        var wrong = await owner.Api.PostAsJsonAsync("/api/v1/restores", Restore(taskId, name, WrongPassword), Ct);
        wrong.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        wrong.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = (await wrong.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!;
        problem.Status.Should().Be(422);
        problem.Detail.Should().Be("the backup password is wrong: it opens none of the repository's keys");
        (await owner.Api.GetFromJsonAsync<OrderResponse[]>("/api/v1/restores", Ct)).Should().BeEmpty("no order is created");
        var ledger = await owner.LedgerAsync();
        ledger.Entries.Select(e => e.Kind).Should().Equal("TopUp");
        ledger.Balance.Should().Be(100m, "nothing is charged");
        (await owner.Api.GetAsync($"/api/v1/cloud-instances/{name}", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound, "the name stays free");

        var placed = await owner.Api.PostAsJsonAsync("/api/v1/restores", Restore(taskId, name, Restic.Password), Ct);
        placed.StatusCode.Should().Be(HttpStatusCode.Created);
        var order = (await placed.Content.ReadFromJsonAsync<OrderResponse>(Ct))!;
        var running = await owner.WaitForAsync(order.Id, "Running", 120);
        running.Reason.Should().BeNull();
        (await owner.LedgerAsync()).Balance.Should().Be(100m - order.Total);
        Space.Logs.Entries.Should().NotContain(e => e.Contains(WrongPassword, StringComparison.Ordinal) || e.Contains(Restic.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_file_asking_scrypt_for_absurd_work_is_not_tried_and_the_real_key_still_opens()
    {
        var owner = await CloudClient.SignUpAsync(Space);
        var (_, taskId) = await owner.BackUpAsync(Space, Trees.MakeSource(Space.DataPath, 10_000), "tiny");
        await PlantCostlyKeyAsync(taskId);

        // A wrong password tries the real key only: the answer is quick and says one key was not tried.
        var timer = Stopwatch.StartNew();
        var wrong = await owner.Api.PostAsJsonAsync("/api/v1/restores", Restore(taskId, "costly-key", WrongPassword), Ct);
        timer.Stop();
        wrong.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await wrong.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Detail.Should().Contain("1 not tried");
        timer.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "scrypt never ran with N = 2^20, r = 8, p = 4");

        var placed = await owner.Api.PostAsJsonAsync("/api/v1/restores", Restore(taskId, "costly-key", Restic.Password), Ct);
        placed.StatusCode.Should().Be(HttpStatusCode.Created);
        (await placed.Content.ReadFromJsonAsync<OrderResponse>(Ct))!.State.Should().Be("Unpaid");
    }

    [Fact]
    public async Task Checks_are_limited_per_account_and_at_once()
    {
        using var throttle = new PasswordCheckThrottle(new PasswordCheckSettings { AtOnce = 1, Queue = 0, PerAccount = 2, Window = TimeSpan.FromHours(1) });
        var account = Guid.NewGuid();
        var other = Guid.NewGuid();

        var first = await throttle.AcquireAsync(account, Ct);
        var concurrent = async () => await throttle.AcquireAsync(account, Ct);
        (await concurrent.Should().ThrowAsync<TooManyRequestsException>()).Which.Message.Should().Contain("this account");
        var busy = async () => await throttle.AcquireAsync(other, Ct);
        (await busy.Should().ThrowAsync<TooManyRequestsException>()).Which.Message.Should().Contain("busy");
        first.Dispose();

        (await throttle.AcquireAsync(account, Ct)).Dispose();
        var third = async () => await throttle.AcquireAsync(account, Ct);
        (await third.Should().ThrowAsync<TooManyRequestsException>()).Which.RetryAfter.Should().BePositive();
        (await throttle.AcquireAsync(other, Ct)).Dispose();
    }

    /// <summary>Adds a copy of the task's key file whose scrypt asks 1 GiB a lane and 4 GiB of work (N = 2^20, r = 8, p = 4): the most the engine allows, four times Space's bound.</summary>
    private async Task PlantCostlyKeyAsync(Guid taskId)
    {
        await using var scope = Space.Running.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpaceDbContext>();
        var instanceId = await db.Tasks.Where(t => t.Id == taskId).Select(t => t.InstanceId).SingleAsync(Ct);
        await using var store = scope.ServiceProvider.GetRequiredService<IRepositoryStorage>().Open(instanceId, taskId);
        var real = (await KeyRing.ListAsync(store, Ct)).Single().File;
        var costly = RepositoryJson.Serialize(real with { N = 1 << 20, R = 8, P = 4 });
        await store.SaveAsync(new ObjectName(ObjectKind.Key, Id.Hash(costly).ToString()), costly, Ct);
    }
}
