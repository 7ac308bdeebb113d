using System.Data.Common;
using Cairn.Space.Data;
using Cairn.Space.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cairn.Space.Tests.Migrations;

/// <summary>
/// A database as the release before migrations left it: the schema its EnsureCreated made (kept as DDL in
/// Migrations/Fixtures, taken from that release), written here with plain SQL, and contexts on it for filling it.
/// </summary>
internal static class ReleaseBeforeMigrations
{
    public static readonly string[] Tables =
    [
        "AccessTokens", "Accounts", "Bills", "ChargeLines", "CloudInstances", "Credentials", "Instances", "Ledger", "Locks",
        "RecoveryCodes", "SignUpCounters", "Snapshots", "StorageMeters", "Tasks", "UsageSamples",
    ];

    public static string Ddl(DatabaseKind kind)
        => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Migrations", "Fixtures",
            kind == DatabaseKind.Sqlite ? "schema-before-migrations.sqlite.sql" : "schema-before-migrations.postgres.sql"));

    /// <summary>Creates the old schema in the database <paramref name="space"/> will use (before it starts).</summary>
    public static async Task CreateAsync(SpaceFactory space)
    {
        if (space.PostgresConnection is { } postgres)
        {
            await TestPostgres.CreateAsync(postgres);
        }

        await using var connection = Open(space);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Ddl(space.Database);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A context of today's model on the old schema: the same tables, so it writes rows as that release did.</summary>
    public static SpaceDbContext Context(SpaceFactory space)
        => space.PostgresConnection is { } postgres
            ? new PostgresSpaceDbContext(new DbContextOptionsBuilder<PostgresSpaceDbContext>().UseNpgsql(postgres).Options)
            : new SqliteSpaceDbContext(new DbContextOptionsBuilder<SqliteSpaceDbContext>().UseSqlite($"Data Source={space.SqlitePath};Pooling=False").Options);

    /// <summary>Runs plain SQL on the old schema, for rows that release wrote but today's model would not.</summary>
    public static async Task ExecuteAsync(SpaceFactory space, string sql)
    {
        await using var connection = Open(space);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Rows per table of the old schema.</summary>
    public static async Task<Dictionary<string, long>> CountRowsAsync(SpaceFactory space)
    {
        await using var connection = Open(space);
        await connection.OpenAsync();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return counts;
    }

    private static DbConnection Open(SpaceFactory space)
        => space.PostgresConnection is { } postgres
            ? new NpgsqlConnection(postgres)
            : new SqliteConnection($"Data Source={space.SqlitePath};Pooling=False");
}
