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
/// The one Space host of the tests: a Space process in the test host on a <see cref="SpaceData"/> (data folder,
/// database, test clock, logs), with, when real programs (restic) must connect, a real Kestrel listener on a loopback
/// port. A test class's Space owns its data; <see cref="Cloud.CloudSpace"/> starts several on one, one after another
/// (a restart) or side by side (replicas).
/// </summary>
public sealed class SpaceFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = SpaceData.Start;

    private readonly SpaceData _data;
    private readonly bool _ownsData;
    private readonly IReadOnlyDictionary<string, string?> _settings;

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
        : this(new SpaceData(database, sharedPostgres), ownsData: true, kestrel, settings)
    {
        if (s3Prefix is not null)
        {
            S3Prefix = s3Prefix == NewS3Prefix ? TestS3.NewPrefix() : s3Prefix;
            var all = new Dictionary<string, string?>(_settings);
            foreach (var (key, value) in TestS3.Settings(S3Prefix))
            {
                all.TryAdd(key, value);
            }

            _settings = all;
        }
    }

    /// <summary>A Space process on <paramref name="data"/>, which outlives it; on Kestrel, since another process may share the data.</summary>
    public SpaceFactory(SpaceData data, IReadOnlyDictionary<string, string?>? settings = null)
        : this(data, ownsData: false, kestrel: true, settings)
    {
    }

    private SpaceFactory(SpaceData data, bool ownsData, bool kestrel, IReadOnlyDictionary<string, string?>? settings)
    {
        _data = data;
        _ownsData = ownsData;
        _settings = settings ?? new Dictionary<string, string?>();
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

    public TestClock Clock => _data.Clock;

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
    public LogCapture Logs => _data.Logs;
    public string DataPath => _data.DataPath;
    public string RepositoriesPath => Path.Combine(DataPath, "repos");
    public DatabaseKind Database => _data.Database;

    /// <summary>The PostgreSQL connection string of this Space's database; null on SQLite.</summary>
    public string? PostgresConnection => _data.PostgresConnection;

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

        if (PostgresConnection is not null)
        {
            builder.UseSetting("ConnectionStrings:Space", PostgresConnection);
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
        if (_ownsData)
        {
            await _data.DisposeAsync();
        }
    }
}
