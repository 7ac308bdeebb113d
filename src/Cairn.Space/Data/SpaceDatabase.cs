using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Data;

/// <summary>Chooses the provider: PostgreSQL for a PostgreSQL connection string, SQLite under the data folder otherwise.</summary>
public static class SpaceDatabase
{
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

    /// <summary>Creates the schema when the database is new. The model is kept to what both providers can hold.</summary>
    public static async Task InitializeAsync(SpaceDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        if (db.Database.IsSqlite())
        {
            // Readers do not wait for writers, so restic's parallel requests do not queue on one lock.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }
    }
}
