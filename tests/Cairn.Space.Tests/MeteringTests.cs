using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;

namespace Cairn.Space.Tests;

/// <summary>
/// Usage samples, GB-hours above the free allowance, charges from the price sheet, and the refusals of a reached
/// cap or an unpaid balance, with time moved by the test clock. Free allowance 1 MB, test prices (per GB-month:
/// 100000 up to 0.001, then 50000).
/// </summary>
public abstract class MeteringTests(SpaceFixture fixture)
{
    public const long FreeBytes = 1_000_000;

    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Space:FreeBytesPerInstance"] = FreeBytes.ToString(),
        ["Space:PriceSheetPath"] = Path.Combine(AppContext.BaseDirectory, "test-pricesheet.json"),
        ["CAIRN_SPACE_ADMIN_EMAIL"] = "operator@space.example",
        ["CAIRN_SPACE_ADMIN_PASSWORD"] = "operator password",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    private async Task<(SpaceClient User, string Instance, HttpClient Repo)> NewRepositoryAsync()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var instance = await user.RegisterInstanceAsync();
        var repo = user.Repository(await user.MintAsync(instance, task: "main"));
        (await repo.CreateAsync(instance, "main")).EnsureSuccessStatusCode();
        return (user, instance, repo);
    }

    private static decimal TestPrice(decimal gbMonths)
    {
        var first = Math.Min(gbMonths, 0.001m);
        var rest = Math.Max(0, gbMonths - 0.001m);
        return decimal.Round(first * 100000m + rest * 50000m, 2, MidpointRounding.AwayFromZero);
    }

    [Fact]
    public async Task Storage_above_the_free_allowance_is_metered_in_gb_hours_and_priced()
    {
        var (user, instance, repo) = await NewRepositoryAsync();
        await repo.UploadObjectAsync(instance, "main", "data", Objects.Random((int)FreeBytes + 1_000_000));
        await Space.SampleUsageAsync(); // meters up to now: nothing yet, time has not moved

        Space.Clock.Advance(TimeSpan.FromHours(10));
        await Space.SampleUsageAsync();

        var now = Space.Clock.GetUtcNow();
        var hoursInMonth = MeteringMath.HoursInMonth(now);
        var hoursLeft = MeteringMath.HoursLeftInMonth(now);
        var report = (await user.Api.GetFromJsonAsync<UsageReport>("/api/v1/usage", Ct))!;
        var line = report.Instances.Should().ContainSingle().Subject;
        line.Instance.Should().Be(instance);
        line.UsedBytes.Should().Be(FreeBytes + 1_000_000);
        line.FreeBytes.Should().Be(0);
        line.OverBytes.Should().Be(1_000_000);
        line.OverGbHours.Should().Be(0.001m * 10, "1 MB over for ten hours, exactly");
        line.ChargeSoFar.Should().Be(TestPrice(0.01m / hoursInMonth));
        line.ProjectedCharge.Should().Be(TestPrice((0.01m + 0.001m * hoursLeft) / hoursInMonth));
        report.ProjectedCharge.Should().Be(line.ProjectedCharge);
        report.Currency.Should().Be("EUR");

        var task = (await user.BackupsAsync()).Single();
        var usage = (await user.BackupAsync(task.Id)).Usage;
        usage.Select(u => u.Bytes).Should().Equal(0, FreeBytes + 1_000_000, FreeBytes + 1_000_000);
        usage[^1].At.Should().Be(now);
    }

    [Fact]
    public async Task Usage_under_the_allowance_is_free_and_not_refused_even_with_a_zero_cap()
    {
        var (user, instance, repo) = await NewRepositoryAsync();
        (await user.Api.PutAsJsonAsync("/api/v1/account/spending-cap", new { amount = 0m }, Ct)).EnsureSuccessStatusCode();
        await repo.UploadObjectAsync(instance, "main", "data", Objects.Random(500_000));
        Space.Clock.Advance(TimeSpan.FromHours(3));
        await Space.SampleUsageAsync();

        var line = (await user.Api.GetFromJsonAsync<UsageReport>("/api/v1/usage", Ct))!.Instances.Single();
        line.FreeBytes.Should().Be(FreeBytes - 500_000);
        line.OverGbHours.Should().Be(0);
        line.ProjectedCharge.Should().Be(0);
        (await repo.UploadAsync(Objects.Path(instance, "main", "data", Objects.NameOf(new byte[] { 1 })), [1])).StatusCode
            .Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_reached_spending_cap_refuses_new_objects_but_not_locks_reads_or_deletes()
    {
        var (user, instance, repo) = await NewRepositoryAsync();
        var pack = await repo.UploadObjectAsync(instance, "main", "data", Objects.Random((int)FreeBytes + 500_000));
        var negative = await user.Api.PutAsJsonAsync("/api/v1/account/spending-cap", new { amount = -1m }, Ct);
        negative.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await user.Api.PutAsJsonAsync("/api/v1/account/spending-cap", new { amount = 5m }, Ct)).EnsureSuccessStatusCode();
        var before = Space.RepositoryFiles();

        var blocked = Objects.Random(100);
        var refused = await repo.UploadAsync(Objects.Path(instance, "main", "snapshots", Objects.NameOf(blocked)), blocked);
        refused.StatusCode.Should().Be(HttpStatusCode.InsufficientStorage);
        refused.ReasonPhrase.Should().StartWith("Spending cap reached");
        (await refused.Content.ReadAsStringAsync(Ct)).Should().Contain("existing backups can still be restored");
        Space.RepositoryFiles().Should().Equal(before);

        var lockName = await repo.UploadObjectAsync(instance, "main", "locks", Objects.Random(40));
        (await repo.DeleteAsync(Objects.Path(instance, "main", "locks", lockName), Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await repo.GetAsync(Objects.Path(instance, "main", "data", pack), Ct)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await user.Api.PutAsJsonAsync("/api/v1/account/spending-cap", new { amount = 100000m }, Ct)).EnsureSuccessStatusCode();
        (await repo.UploadAsync(Objects.Path(instance, "main", "snapshots", Objects.NameOf(blocked)), blocked)).StatusCode
            .Should().Be(HttpStatusCode.OK);
        (await repo.DeleteAsync(Objects.Path(instance, "main", "data", pack), Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_unpaid_balance_refuses_new_objects_with_402()
    {
        var (user, instance, repo) = await NewRepositoryAsync();
        var op = await SpaceClient.SignInAsync(Space, "operator@space.example", "operator password");
        (await op.Api.PutAsJsonAsync($"/api/v1/admin/accounts/{user.Email}/unpaid-balance", new { amount = 3.5m }, Ct)).EnsureSuccessStatusCode();

        var content = Objects.Random(10);
        var refused = await repo.UploadAsync(Objects.Path(instance, "main", "index", Objects.NameOf(content)), content);
        refused.StatusCode.Should().Be(HttpStatusCode.PaymentRequired);
        refused.ReasonPhrase.Should().Contain("unpaid balance of 3.50");
        (await repo.UploadObjectAsync(instance, "main", "locks", Objects.Random(40))).Should().NotBeEmpty();

        (await op.Api.PutAsJsonAsync($"/api/v1/admin/accounts/{user.Email}/unpaid-balance", new { amount = 0m }, Ct)).EnsureSuccessStatusCode();
        (await repo.UploadAsync(Objects.Path(instance, "main", "index", Objects.NameOf(content)), content)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reconciling_corrects_counters_and_snapshot_records_that_drifted_from_the_store()
    {
        var (user, instance, repo) = await NewRepositoryAsync();
        await repo.UploadObjectAsync(instance, "main", "data", Objects.Random(3000));
        var task = (await user.BackupsAsync()).Single();
        var folder = Directory.GetDirectories(Space.RepositoriesPath, task.Id.ToString("N"), SearchOption.AllDirectories).Single();

        // Something wrote behind Space's back (a restore from a file copy, a crash between save and count).
        var snapshot = Objects.Random(123);
        await File.WriteAllBytesAsync(Path.Combine(folder, "snapshots", Objects.NameOf(snapshot)), snapshot, Ct);

        (await Space.ReconcileAsync()).Should().Be(1);
        var details = await user.BackupAsync(task.Id);
        details.StorageBytes.Should().Be(3123);
        details.Snapshots.Should().ContainSingle().Which.Id.Should().Be(Objects.NameOf(snapshot));
        details.LatestSnapshotAt.Should().Be(Space.Clock.GetUtcNow());
        (await Space.ReconcileAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Reconciling_and_the_start_up_sweep_remove_temporary_files_older_than_an_hour_and_keep_fresh_ones()
    {
        var (user, instance, repo) = await NewRepositoryAsync();
        var stored = await repo.UploadObjectAsync(instance, "main", "data", Objects.Random(2000));
        var task = (await user.BackupsAsync()).Single();
        var folder = Directory.GetDirectories(Space.RepositoriesPath, task.Id.ToString("N"), SearchOption.AllDirectories).Single();
        var now = Space.Clock.GetUtcNow();

        // What an upload cut off by a crash leaves: the temporary file of a save, in the object's own folder.
        string Plant(string relative, TimeSpan age)
        {
            var path = Path.Combine(folder, relative);
            File.WriteAllBytes(path, new byte[700]);
            File.SetLastWriteTimeUtc(path, (now - age).UtcDateTime);
            return path;
        }

        var oldPack = Plant(Path.Combine("data", stored[..2], ".tmp-0123456789abcdef01234567"), TimeSpan.FromHours(2));
        var oldIndex = Plant(Path.Combine("index", ".tmp-aaaaaaaaaaaaaaaaaaaaaaaa"), TimeSpan.FromHours(1.5));
        var fresh = Plant(Path.Combine("data", stored[..2], ".tmp-bbbbbbbbbbbbbbbbbbbbbbbb"), TimeSpan.FromMinutes(50));
        var notOurs = Plant(Path.Combine("data", stored[..2], "tmp-looks-similar"), TimeSpan.FromDays(3));

        (await Space.ReconcileAsync()).Should().Be(0, "temporary files are never counted as usage");
        File.Exists(oldPack).Should().BeFalse();
        File.Exists(oldIndex).Should().BeFalse();
        File.Exists(fresh).Should().BeTrue("an upload touched in the last hour may still be live");
        File.Exists(notOurs).Should().BeTrue("only files named as our temporary files are swept");
        (await user.BackupAsync(task.Id)).StorageBytes.Should().Be(2000);

        Space.Clock.Advance(TimeSpan.FromMinutes(20));
        (await Space.SweepLeftoversAsync()).Should().Be(1);
        File.Exists(fresh).Should().BeFalse();
        File.Exists(Path.Combine(folder, "data", stored[..2], stored)).Should().BeTrue();
    }
}

public sealed class MeteringSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false, MeteringTests.Settings);

public sealed class MeteringPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: false, MeteringTests.Settings);

public sealed class MeteringTestsOnSqlite(MeteringSqliteSpace fixture) : MeteringTests(fixture), IClassFixture<MeteringSqliteSpace>;

public sealed class MeteringTestsOnPostgres(MeteringPostgresSpace fixture) : MeteringTests(fixture), IClassFixture<MeteringPostgresSpace>;
