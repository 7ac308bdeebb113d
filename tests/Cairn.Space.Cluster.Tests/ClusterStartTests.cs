using System.Reflection;
using Cairn.Space.Cluster.Tests.Infrastructure;
using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Cairn.Space.Cluster.Tests;

/// <summary>
/// Three replica processes started at the same moment on an empty PostgreSQL database: one migrates it (under the
/// start-up lock), the others find nothing left to do; the operator and the console key are made once.
/// </summary>
public sealed class ClusterStartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_replica_processes_started_at_once_on_an_empty_database_migrate_it_once()
    {
        await using var cluster = await SpaceCluster.CreateAsync(settings: new Dictionary<string, string>
        {
            // EF Core says "Applying migration '...'" for each one it applies.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Migrations"] = "Information",
        });
        await Task.WhenAll(cluster.Replicas.Select(r => r.StartAsync()));
        await Task.WhenAll(cluster.Replicas.Select(r => r.WaitReadyAsync()));

        var migrations = PostgresMigrations();
        migrations.Should().NotBeEmpty();
        var applied = cluster.Replicas
            .SelectMany(r => r.Output.Split('\n').Where(l => l.Contains("Applying migration", StringComparison.Ordinal)).Select(l => (r.Id, Line: l)))
            .ToList();
        applied.Should().HaveCount(migrations.Count, $"each migration is applied by one replica only:\n{cluster.Diagnostics()}");
        applied.Select(a => a.Id).Distinct().Should().ContainSingle("the replica holding the start-up lock applies them all");

        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        (await ScalarAsync(connection, "SELECT array_agg(\"MigrationId\" ORDER BY \"MigrationId\") FROM \"__EFMigrationsHistory\""))
            .Should().BeEquivalentTo(migrations.Order(StringComparer.Ordinal).ToArray());
        (await ScalarAsync(connection, "SELECT count(*) FROM \"Accounts\" WHERE \"IsOperator\"")).Should().Be(1L, "the operator is made once");
        (await ScalarAsync(connection, "SELECT count(*) FROM \"DataProtectionKeys\"")).Should().Be(1L, "one console key for the whole cluster");

        // And the cluster serves: haproxy finds all three ready, and the operator signs in through it.
        await cluster.StartBalancerAsync();
        (await cluster.OperatorAsync()).Email.Should().Be(SpaceCluster.OperatorEmail);
    }

    /// <summary>The PostgreSQL migrations compiled into Space (the ids EF Core records).</summary>
    private static List<string> PostgresMigrations()
        => typeof(PostgresSpaceDbContext).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(PostgresSpaceDbContext))
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()!.Id)
            .ToList();

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
