using System.Globalization;
using Cairn.Space.CloudRestore;
using Cairn.Space.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// A Space whose data folder, database, clock and logs (one <see cref="SpaceData"/>) outlive its processes:
/// <see cref="StartAsync"/> and <see cref="StopAsync"/> stop and start Space on the same data, as an operator's
/// restart would, and <see cref="StartReplica"/> starts another process beside it. Each process is a
/// <see cref="SpaceFactory"/> on a real Kestrel listener (restic connects), with a test catalog whose prices show on
/// megabytes, and an operator account.
/// </summary>
public sealed class CloudSpace : IAsyncDisposable
{
    public const string OperatorEmail = "operator@space.example";
    public const string OperatorPassword = "operator password";

    private readonly SpaceData _data;

    public CloudSpace(DatabaseKind database)
    {
        _data = new SpaceData(database);
        CatalogPath = Path.Combine(Path.GetTempPath(), "cairn-space-tests", $"catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(CatalogPath, TestCatalog.Json);
    }

    public DatabaseKind Database => _data.Database;
    public string DataPath => _data.DataPath;
    public string CatalogPath { get; }
    public TestClock Clock => _data.Clock;

    /// <summary>Everything every process of this Space logged, at every level.</summary>
    public LogCapture Logs => _data.Logs;

    public SpaceFactory? Current { get; private set; }

    public SpaceFactory Running => Current ?? throw new InvalidOperationException("Space is not running");

    public HttpClient CreateClient() => Running.CreateClient();

    public Uri ListenAddress => Running.ListenAddress;

    public Task StartAsync(ICloudJobObserver? observer = null, Action<IServiceCollection>? services = null)
    {
        if (Current is not null)
        {
            throw new InvalidOperationException("Space is running already");
        }

        Current = StartReplica(observer, services);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Another process of this Space on the same data folder, database and clock (a replica of a cluster), beside
    /// <see cref="Current"/>; the caller disposes it.
    /// </summary>
    public SpaceFactory StartReplica(ICloudJobObserver? observer = null, Action<IServiceCollection>? services = null)
    {
        var host = new SpaceFactory(_data, new Dictionary<string, string?>
        {
            ["Space:CatalogPath"] = CatalogPath,
            ["Space:FreeBytesPerInstance"] = "1000000",
            ["Space:PriceSheetPath"] = Path.Combine(AppContext.BaseDirectory, "test-pricesheet.json"),
            ["CAIRN_SPACE_ADMIN_EMAIL"] = OperatorEmail,
            ["CAIRN_SPACE_ADMIN_PASSWORD"] = OperatorPassword,
        })
        {
            TestServices = collection =>
            {
                if (observer is not null)
                {
                    collection.AddSingleton(observer);
                }

                services?.Invoke(collection);
            },
        };
        host.StartServer();
        return host;
    }

    public async Task StopAsync()
    {
        if (Current is { } host)
        {
            Current = null;
            await host.DisposeAsync();
        }
    }

    /// <summary>The files a database keeps on this machine: the SQLite file with its WAL, or the PostgreSQL server's data folder.</summary>
    public async Task<IReadOnlyList<string>> DatabaseFilesAsync()
    {
        if (Database == DatabaseKind.Sqlite)
        {
            return [.. Directory.EnumerateFiles(DataPath, "space.db*")];
        }

        await using var connection = new Npgsql.NpgsqlConnection(_data.PostgresConnection);
        await connection.OpenAsync();
        await using (var checkpoint = new Npgsql.NpgsqlCommand("CHECKPOINT", connection))
        {
            await checkpoint.ExecuteNonQueryAsync();
        }

        await using var command = new Npgsql.NpgsqlCommand("SHOW data_directory", connection);
        var folder = (string)(await command.ExecuteScalarAsync())!;
        return [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        File.Delete(CatalogPath);
        await _data.DisposeAsync();
    }
}

/// <summary>A catalog whose prices show on a few megabytes: 1 MB storage and 2 MB traffic included.</summary>
public static class TestCatalog
{
    public const string Provider = "testcloud";
    public const string Region = "lab";
    public const string Hardware = "tiny";
    public const decimal MonthlyPrice = 30.00m;
    public const decimal IncludedStorageGb = 0.001m;
    public const decimal IncludedTrafficGb = 0.002m;
    public const decimal StoragePerGbMonth = 1000m;
    public const decimal TrafficPerGb = 200m;

    public static string Json => string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "currency": "EUR",
          "providers": [
            {
              "id": "{{Provider}}", "name": "Test Cloud", "driver": "local",
              "regions": [ { "id": "{{Region}}", "name": "Lab", "hardware": [
                { "id": "{{Hardware}}", "name": "Tiny", "vcpu": 1, "memoryGb": 1, "diskGb": 1, "monthlyPrice": {{MonthlyPrice}},
                  "includedStorageGb": {{IncludedStorageGb}}, "includedTrafficGb": {{IncludedTrafficGb}} } ] } ],
              "storageTiers": [ { "upToGb": null, "pricePerGbMonth": {{StoragePerGbMonth}} } ],
              "bandwidthTiers": [ { "upToGb": null, "pricePerGb": {{TrafficPerGb}} } ]
            },
            {
              "id": "elsewhere", "name": "A provider without a driver here", "driver": "openstack",
              "regions": [ { "id": "r1", "name": "R1", "hardware": [
                { "id": "h1", "name": "H1", "vcpu": 1, "memoryGb": 1, "diskGb": 10, "monthlyPrice": 1, "includedStorageGb": 10, "includedTrafficGb": 10 } ] } ],
              "storageTiers": [ { "upToGb": null, "pricePerGbMonth": 0.01 } ],
              "bandwidthTiers": [ { "upToGb": null, "pricePerGb": 0.01 } ]
            }
          ]
        }
        """);

    /// <summary>The charges the wizard must show for <paramref name="bytes"/>, computed here by hand.</summary>
    public static (decimal Instance, decimal Storage, decimal Traffic) Expected(long bytes)
    {
        var gb = bytes / 1_000_000_000m;
        return (MonthlyPrice,
            decimal.Round(Math.Max(0, gb - IncludedStorageGb) * StoragePerGbMonth, 2, MidpointRounding.AwayFromZero),
            decimal.Round(Math.Max(0, gb - IncludedTrafficGb) * TrafficPerGb, 2, MidpointRounding.AwayFromZero));
    }
}
