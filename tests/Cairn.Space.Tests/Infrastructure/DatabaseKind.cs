using Npgsql;

namespace Cairn.Space.Tests.Infrastructure;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A throwaway PostgreSQL database per fixture, on the server named by <c>CAIRN_TEST_POSTGRES</c> (test.sh starts
/// one). Without the variable the PostgreSQL variants fail: every Space test must pass on both databases.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "CAIRN_TEST_POSTGRES";

    public static string ServerConnectionString()
        => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: the PostgreSQL variants of the Space tests need a PostgreSQL server " +
                "(run ./test.sh, which starts one, or export a connection string such as Host=127.0.0.1;Port=55432;Username=postgres)");

    /// <summary>A connection string to a new database name (Space creates it on start-up).</summary>
    public static string NewDatabase(out string name)
    {
        name = "cairn_space_test_" + Guid.NewGuid().ToString("N")[..12];
        return new NpgsqlConnectionStringBuilder(ServerConnectionString()) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Creates the database a connection string of <see cref="NewDatabase"/> names (for tests that fill it before Space starts).</summary>
    public static async Task CreateAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        var admin = new NpgsqlConnectionStringBuilder(ServerConnectionString()) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        var admin = new NpgsqlConnectionStringBuilder(ServerConnectionString()) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
