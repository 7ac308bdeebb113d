using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Billing;
using Cairn.Space.CloudRestore;
using Cairn.Space.Data;
using Cairn.Space.Hosting;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Migrations;

/// <summary>
/// Space's schema comes from EF Core migrations, one set per provider: the first makes exactly what the release
/// before migrations made, a database of that release is migrated with every row kept (and its console keys moved
/// into the database), and replicas starting at once on an empty database migrate it once.
/// </summary>
public sealed partial class SchemaMigrationTests
{
    private const string OperatorEmail = "operator@example.org";
    private const string OperatorPassword = "a long operator password 7";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public void The_baseline_migration_makes_exactly_the_schema_of_the_release_before_migrations(DatabaseKind kind)
    {
        using var db = OfflineContext(kind);
        var baseline = db.Database.GetMigrations().First();
        baseline.Should().EndWith("_" + SpaceDatabase.BaselineMigration);
        var script = db.GetService<IMigrator>().GenerateScript(Migration.InitialDatabase, baseline);
        Statements(script).Should().Equal(Statements(ReleaseBeforeMigrations.Ddl(kind)));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public void Every_change_of_the_model_has_its_migration(DatabaseKind kind)
    {
        using var db = OfflineContext(kind);
        db.Database.HasPendingModelChanges().Should().BeFalse("`dotnet ef migrations add` was run for every change of the model (see docs/operations.md)");
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task A_database_of_the_release_before_migrations_is_migrated_with_every_row_kept(DatabaseKind kind)
    {
        await using var space = new SpaceFactory(kind, kestrel: false);
        await ReleaseBeforeMigrations.CreateAsync(space);
        var old = await FillAsync(space);
        // That release metered GB-hours in double: one figure finer than a byte-hour, one SQLite writes as "1.5e-05".
        await ReleaseBeforeMigrations.ExecuteAsync(space, """
            UPDATE "StorageMeters" SET "OverGbHours" = 0.1234567891234 WHERE "Month" = '2025-01';
            UPDATE "StorageMeters" SET "OverGbHours" = 0.000015 WHERE "Month" = '2025-02'
            """);
        // That release kept the console's keys in the data folder; a secret protected with them must still open.
        var legacy = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(space.DataPath, "console-keys")), b => b.SetApplicationName("Cairn.Space"));
        var protectedSecret = legacy.CreateProtector("upgrade test").Protect("a two-factor secret");
        var before = await ReleaseBeforeMigrations.CountRowsAsync(space);

        // Space starts on it (the first request starts the host): migrated, and the owner finds everything.
        var owner = await SpaceClient.SignInAsync(space, old.Email, SpaceClient.Password);
        var task = (await owner.BackupsAsync()).Should().ContainSingle().Subject;
        (task.Id, task.Name, task.Instance, task.StorageBytes, task.LatestSnapshotAt).Should().Be((old.TaskId, "documents", old.Instance, 123_456_789L, old.Second));
        var details = await owner.BackupAsync(task.Id);
        details.Snapshots.Select(s => s.Id).Should().Equal(old.FirstSnapshot, old.SecondSnapshot);
        details.Usage.Should().Contain(p => p.At == old.First && p.Bytes == 1_000).And.Contain(p => p.At == old.Second && p.Bytes == 123_456_789);
        var ledger = (await owner.Api.GetFromJsonAsync<LedgerResponse>("/api/v1/billing/ledger", Ct))!;
        ledger.Balance.Should().Be(25.50m);

        var after = await ReleaseBeforeMigrations.CountRowsAsync(space);
        after.Where(t => t.Key != "AccessTokens").Should().BeEquivalentTo(before.Where(t => t.Key != "AccessTokens"), "no row is lost or added");
        after["AccessTokens"].Should().Be(before["AccessTokens"] + 1, "the sign-in above");

        await using var scope = space.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpaceDbContext>();
        (await db.Database.GetAppliedMigrationsAsync(Ct)).Should().Equal(db.Database.GetMigrations());
        (await db.DataProtectionKeys.CountAsync(Ct)).Should().Be(1, "the one key of the data folder, moved in");
        var meters = await db.StorageMeters.AsNoTracking().Where(m => m.TaskId == old.TaskId).ToListAsync(Ct);
        meters.OrderBy(m => m.Month, StringComparer.Ordinal).Select(m => (m.Month, m.OverGbHours)).Should()
            .Equal([("2025-01", 0.123456789m), ("2025-02", 0.000015m)], "metered GB-hours became decimal, kept to a byte-hour");
        scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector("upgrade test").Unprotect(protectedSecret)
            .Should().Be("a two-factor secret");
    }

    [Fact]
    public async Task Three_replicas_started_at_once_on_an_empty_database_migrate_it_once_and_share_one_console_key()
    {
        var settings = new Dictionary<string, string?> { ["Space:AdminEmail"] = OperatorEmail, ["Space:AdminPassword"] = OperatorPassword };
        await using var replicas = new ReplicaSet(3, _ => settings, cloudJobRunner: true);
        await replicas.StartAsync(Ct);

        await using var scope = replicas[0].Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SpaceDbContext>();
        var migrations = db.Database.GetMigrations().ToList();
        (await db.Database.GetAppliedMigrationsAsync(Ct)).Should().Equal(migrations);
        var applied = replicas.SelectMany(r => r.Logs.Entries).Where(e => e.Contains("Applying migration", StringComparison.Ordinal)).ToList();
        applied.Should().HaveCount(migrations.Count, "each migration is applied by one replica only");
        (await db.Accounts.CountAsync(a => a.IsOperator, Ct)).Should().Be(1, "the operator is made once");
        (await db.DataProtectionKeys.CountAsync(Ct)).Should().Be(1, "one console key for the whole cluster");

        // A console session made on one replica is a session on the others.
        var browser = ConsoleSession.For(replicas[0]);
        (await browser.SignInAsync(OperatorEmail, OperatorPassword)).StatusCode.Should().Be(HttpStatusCode.Found);
        foreach (var other in replicas.Skip(1))
        {
            (await ConsoleSession.For(other).WithCookies(browser.Cookies).GetAsync("/usage")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    private sealed record OldRows(string Email, string Instance, Guid TaskId, DateTimeOffset First, DateTimeOffset Second, string FirstSnapshot, string SecondSnapshot);

    /// <summary>An owner with an instance, a task with two snapshots and usage samples, and a top-up, as that release wrote them.</summary>
    private static async Task<OldRows> FillAsync(SpaceFactory space)
    {
        var created = SpaceFactory.Start.AddDays(-40);
        var (first, second) = (created.AddDays(1), created.AddDays(20));
        var rows = new OldRows($"owner-{Guid.NewGuid():N}@example.org", SpaceClient.NewInstanceName(), Guid.NewGuid(), first, second,
            new string('a', 64), new string('b', 64));
        await using var db = ReleaseBeforeMigrations.Context(space);
        var account = new Account(Guid.NewGuid(), rows.Email, created);
        account.SetPasswordHash(new PasswordHasher<Account>().HashPassword(account, SpaceClient.Password));
        var instance = new Instance(Guid.NewGuid(), account.Id, rows.Instance, "default", created);
        var task = new BackupTask(rows.TaskId, instance.Id, "documents", created);
        task.SetStorageBytes(123_456_789);
        task.SetLatestSnapshotAt(second);
        db.AddRange(account, instance, task,
            new SnapshotRecord(task.Id, rows.FirstSnapshot, first), new SnapshotRecord(task.Id, rows.SecondSnapshot, second),
            new UsageSample(task.Id, first, 1_000), new UsageSample(task.Id, second, 123_456_789),
            new StorageMeter(task.Id, instance.Id, "2025-01"), new StorageMeter(task.Id, instance.Id, "2025-02"),
            LedgerEntry.TopUp(account.Id, created, 25.50m, "operator:upgrade-test"));
        await db.SaveChangesAsync(Ct);
        return rows;
    }

    /// <summary>A context that never connects: enough to compare models and write scripts.</summary>
    private static SpaceDbContext OfflineContext(DatabaseKind kind)
        => kind == DatabaseKind.Sqlite
            ? new SqliteSpaceDbContext(new DbContextOptionsBuilder<SqliteSpaceDbContext>().UseSqlite("Data Source=:memory:").Options)
            : new PostgresSpaceDbContext(new DbContextOptionsBuilder<PostgresSpaceDbContext>().UseNpgsql("Host=localhost;Database=offline").Options);

    /// <summary>The schema statements of a script, whitespace folded; the migration history's own and the transaction's left out.</summary>
    private static List<string> Statements(string script)
        => [.. script.TrimStart('\uFEFF').Split(';')
            .Select(s => Whitespace().Replace(s, " ").Trim())
            .Where(s => s.Length > 0 && !s.Contains("__EFMigrationsHistory", StringComparison.Ordinal)
                && s is not ("BEGIN TRANSACTION" or "START TRANSACTION" or "COMMIT"))];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
