using System.Globalization;
using Cairn.Space.CloudRestore;
using Cairn.Space.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// A Space whose data folder, database, clock and logs outlive its process: <see cref="StartAsync"/> and
/// <see cref="StopAsync"/> stop and start Space on the same data, as an operator's restart would. Real Kestrel
/// listener (restic connects), a test catalog with prices that show on megabytes, and an operator account.
/// </summary>
public sealed class CloudSpace : IAsyncDisposable
{
    public const string OperatorEmail = "operator@space.example";
    public const string OperatorPassword = "operator password";

    private readonly string? _postgresConnection;
    private readonly string? _postgresDatabase;

    public CloudSpace(DatabaseKind database)
    {
        Database = database;
        if (database == DatabaseKind.Postgres)
        {
            _postgresConnection = TestPostgres.NewDatabase(out var name);
            _postgresDatabase = name;
        }

        DataPath = Path.Combine(Path.GetTempPath(), "cairn-space-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataPath);
        CatalogPath = Path.Combine(Path.GetTempPath(), "cairn-space-tests", $"catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(CatalogPath, TestCatalog.Json);
    }

    public DatabaseKind Database { get; }
    public string DataPath { get; }
    public string CatalogPath { get; }
    public TestClock Clock { get; } = new(SpaceFactory.Start);

    /// <summary>Everything every process of this Space logged, at every level.</summary>
    public LogCapture Logs { get; } = new();

    public Host? Current { get; private set; }

    public Host Running => Current ?? throw new InvalidOperationException("Space is not running");

    public HttpClient CreateClient() => Running.CreateClient();

    public Uri ListenAddress => new(Running.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public Task StartAsync(ICloudJobObserver? observer = null, Action<IServiceCollection>? services = null)
    {
        if (Current is not null)
        {
            throw new InvalidOperationException("Space is running already");
        }

        Current = new Host(this, observer, services);
        Current.StartServer();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Another process of this Space on the same data folder, database and clock (a replica of a cluster), beside
    /// <see cref="Current"/>; the caller disposes it.
    /// </summary>
    public Host StartReplica(ICloudJobObserver? observer = null, Action<IServiceCollection>? services = null)
    {
        var host = new Host(this, observer, services);
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

        await using var connection = new Npgsql.NpgsqlConnection(_postgresConnection);
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
        if (_postgresDatabase is not null)
        {
            await TestPostgres.DropAsync(_postgresDatabase);
        }

        try
        {
            File.Delete(CatalogPath);
            MakeWritable(DataPath);
            Directory.Delete(DataPath, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a temp folder left behind is not a failure.
        }
    }

    private static void MakeWritable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories))
        {
            if (new FileInfo(entry).LinkTarget is null)
            {
                File.SetUnixFileMode(entry, Directory.Exists(entry)
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }

    /// <summary>One process of the Space.</summary>
    public sealed class Host : WebApplicationFactory<Program>
    {
        private readonly CloudSpace _space;
        private readonly ICloudJobObserver? _observer;
        private readonly Action<IServiceCollection>? _services;

        public Host(CloudSpace space, ICloudJobObserver? observer, Action<IServiceCollection>? services)
        {
            _space = space;
            _observer = observer;
            _services = services;
            UseKestrel(0);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Space:DataPath", _space.DataPath);
            builder.UseSetting("Space:UsageMonitorEnabled", "false");
            builder.UseSetting("Space:CatalogPath", _space.CatalogPath);
            builder.UseSetting("Space:FreeBytesPerInstance", "1000000");
            builder.UseSetting("Space:PriceSheetPath", Path.Combine(AppContext.BaseDirectory, "test-pricesheet.json"));
            builder.UseSetting("CAIRN_SPACE_ADMIN_EMAIL", OperatorEmail);
            builder.UseSetting("CAIRN_SPACE_ADMIN_PASSWORD", OperatorPassword);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in SpaceFactory.GenerousLimits)
            {
                builder.UseSetting(key, value);
            }

            if (_space._postgresConnection is not null)
            {
                builder.UseSetting("ConnectionStrings:Space", _space._postgresConnection);
            }

            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(_space.Clock);
                if (_observer is not null)
                {
                    services.AddSingleton(_observer);
                }

                _services?.Invoke(services);
            });
            builder.ConfigureLogging(logging => logging.AddProvider(_space.Logs).AddFilter<LogCapture>(null, LogLevel.Trace));
        }
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
