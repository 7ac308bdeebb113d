using Cairn.Space.Backups;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// One Space for a test class: its own data folder, its own database (SQLite file or a fresh PostgreSQL database),
/// a test clock, and, when real programs (restic) must connect, a real Kestrel listener on a loopback port.
/// </summary>
public sealed class SpaceFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    private readonly DatabaseKind _database;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly string? _postgresConnection;
    private readonly string? _postgresDatabase;

    /// <param name="sharedPostgres">
    /// A PostgreSQL connection string this Space shares with others (replicas of one cluster); the caller drops its
    /// database. Without it, a PostgreSQL Space gets a new database of its own, dropped when it is disposed.
    /// </param>
    /// <param name="s3Prefix">
    /// Keeps the repositories on the test RGW under this prefix of <see cref="TestS3.Bucket"/> (a fresh one for
    /// <see cref="NewS3Prefix"/>); null keeps them in the local folder. Replicas of one cluster share a prefix.
    /// </param>
    public SpaceFactory(DatabaseKind database, bool kestrel, IReadOnlyDictionary<string, string?>? settings = null, string? sharedPostgres = null,
        string? s3Prefix = null)
    {
        _database = database;
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (s3Prefix is not null)
        {
            S3Prefix = s3Prefix == NewS3Prefix ? TestS3.NewPrefix() : s3Prefix;
            foreach (var (key, value) in TestS3.Settings(S3Prefix))
            {
                all.TryAdd(key, value);
            }
        }

        _settings = all;
        if (sharedPostgres is not null)
        {
            _database = DatabaseKind.Postgres;
            _postgresConnection = sharedPostgres;
        }
        else if (database == DatabaseKind.Postgres)
        {
            _postgresConnection = TestPostgres.NewDatabase(out var name);
            _postgresDatabase = name;
        }

        DataPath = Path.Combine(Path.GetTempPath(), "cairn-space-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataPath);

        if (kestrel)
        {
            UseKestrel(0);
        }
    }

    /// <summary>
    /// Every test signs up and in from one address many times; the tests of the limits themselves set their own.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> GenerousLimits = new Dictionary<string, string>
    {
        ["Space:SignIn:PermitsPerClient"] = "1000000",
        ["Space:SignIn:PermitsPerAccount"] = "1000000",
        ["Space:Limits:SignUpsPerClientPerDay"] = "1000000",
    };

    /// <summary>Pass as the s3Prefix for a prefix of this Space's own.</summary>
    public const string NewS3Prefix = "*";

    public TestClock Clock { get; } = new(Start);

    /// <summary>The prefix of this Space's repositories in <see cref="TestS3.Bucket"/>; null when they are local.</summary>
    public string? S3Prefix { get; }

    /// <summary>The folder of a task's repository in the bucket (S3 only).</summary>
    public string S3FolderOf(Guid taskId)
    {
        using var scope = Services.CreateScope();
        var instanceId = scope.ServiceProvider.GetRequiredService<Data.SpaceDbContext>().Tasks.Single(t => t.Id == taskId).InstanceId;
        return $"{S3Prefix ?? throw new InvalidOperationException("this Space keeps its repositories locally")}/{instanceId:N}/{taskId:N}";
    }

    /// <summary>The location restic opens a task's repository at on RGW, past Space.</summary>
    public string S3ResticLocation(Guid taskId) => $"s3:{TestS3.Endpoint}/{TestS3.Bucket}/{S3FolderOf(taskId)}";

    /// <summary>Changes to Space's services for one test (e.g. leaving a background service out).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Everything Space logged, at every level (the console gets warnings only).</summary>
    public LogCapture Logs { get; } = new();
    public string DataPath { get; }
    public string RepositoriesPath => Path.Combine(DataPath, "repos");
    public DatabaseKind Database => _database;

    /// <summary>The PostgreSQL connection string of this Space's database; null on SQLite.</summary>
    public string? PostgresConnection => _postgresConnection;

    /// <summary>The SQLite file Space uses when no connection string is given.</summary>
    public string SqlitePath => Path.Combine(DataPath, "space.db");

    /// <summary>The real address when on Kestrel (for restic), e.g. http://127.0.0.1:41234.</summary>
    public Uri ListenAddress
        => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Space:DataPath", DataPath);
        builder.UseSetting("Space:UsageMonitorEnabled", "false");
        builder.UseSetting("Space:Alerts:MonitorEnabled", "false"); // tests run AlertJobs by hand
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in GenerousLimits)
        {
            builder.UseSetting(key, value);
        }

        if (_postgresConnection is not null)
        {
            builder.UseSetting("ConnectionStrings:Space", _postgresConnection);
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            TestServices?.Invoke(services);
        });
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<LogCapture>(null, LogLevel.Trace));
    }

    /// <summary>Runs the usage monitor's jobs now, as its timer would.</summary>
    public async Task SampleUsageAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UsageJobs>().SampleAsync(CancellationToken.None);
    }

    public async Task<int> ReconcileAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UsageJobs>().ReconcileAsync(CancellationToken.None);
    }

    /// <summary>Runs the start-up sweep of leftover temporary files now.</summary>
    public async Task<int> SweepLeftoversAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UsageJobs>().SweepLeftoversAsync(CancellationToken.None);
    }

    /// <summary>Every file under the repositories folder with its size: what "nothing changed" is checked against.</summary>
    public SortedDictionary<string, long> RepositoryFiles(Guid? taskId = null)
    {
        var only = taskId?.ToString("N");
        var files = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (Directory.Exists(RepositoriesPath))
        {
            foreach (var file in Directory.EnumerateFiles(RepositoriesPath, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(RepositoriesPath, file);
                if (only is null || relative.Split(Path.DirectorySeparatorChar)[1] == only)
                {
                    files[relative] = new FileInfo(file).Length;
                }
            }
        }

        return files;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_postgresDatabase is not null)
        {
            await TestPostgres.DropAsync(_postgresDatabase);
        }

        try
        {
            MakeWritable(DataPath);
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
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

        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
