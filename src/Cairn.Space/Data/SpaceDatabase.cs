using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cairn.Space.Data;

/// <summary>
/// Chooses the provider (PostgreSQL for a PostgreSQL connection string, SQLite under the data folder otherwise) and
/// brings the schema up to date at start: the provider's migrations, applied under the start-up lock.
/// </summary>
public static class SpaceDatabase
{
    /// <summary>The first migration: the schema exactly as Space made it with EnsureCreated before it had migrations.</summary>
    public const string BaselineMigration = "Initial";

    public static void Configure(DbContextOptionsBuilder options, SpaceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.PostgresConnectionString is { } postgres)
        {
            options.UseNpgsql(postgres);
        }
        else
        {
            options.UseSqlite(settings.SqliteConnectionString);
        }
    }

    /// <summary>
    /// Creates the database when the server does not have it yet (a new SQLite file, or a PostgreSQL database the
    /// connection string names); replicas starting at once may race to create it, and the loser carries on.
    /// </summary>
    public static async Task EnsureExistsAsync(SpaceDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState is Npgsql.PostgresErrorCodes.DuplicateDatabase or Npgsql.PostgresErrorCodes.UniqueViolation)
        {
            // Another replica created it a moment ago.
        }
    }

    /// <summary>
    /// Applies every migration not yet applied. A database made before Space had migrations holds the baseline's
    /// tables but no history: the baseline is recorded as applied, and only the later migrations run. Call it under
    /// <see cref="StartupLock"/>, so replicas starting at once migrate once.
    /// </summary>
    public static async Task MigrateAsync(SpaceDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var history = db.GetService<IHistoryRepository>();
        // Asked of the catalog: Npgsql's IHistoryRepository.ExistsAsync says true for a history table that is not there.
        if (!await HasTableAsync(db, HistoryRepository.DefaultTableName, cancellationToken).ConfigureAwait(false)
            && await HasTableAsync(db, "Accounts", cancellationToken).ConfigureAwait(false))
        {
            var baseline = db.Database.GetMigrations().Single(m => m.EndsWith("_" + BaselineMigration, StringComparison.Ordinal));
            await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken).ConfigureAwait(false);
            await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(baseline, ProductInfo.GetVersion())), cancellationToken)
                .ConfigureAwait(false);
        }

        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (db.Database.IsSqlite())
        {
            // Readers do not wait for writers, so restic's parallel requests do not queue on one lock.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> HasTableAsync(SpaceDbContext db, string table, CancellationToken cancellationToken)
    {
        var count = db.Database.IsSqlite()
            ? db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {table}")
            : db.Database.SqlQuery<int>($"SELECT COUNT(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = {table}");
        return await count.SingleAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
