using Microsoft.Extensions.Configuration;

namespace Cairn.Space;

/// <summary>
/// Space's configuration, read once from <see cref="IConfiguration"/>: section <c>Space</c>, connection string
/// <c>Space</c>, and the <c>CAIRN_SPACE_*</c> environment variables the README names.
/// </summary>
public sealed record SpaceSettings
{
    public const long DefaultFreeBytesPerInstance = 10_000_000_000; // 10 GB (decimal, as storage is billed)
    public const long DefaultMaxObjectBytes = 1L << 30; // restic packs are far smaller; a bound keeps a bad client out

    /// <summary>Folder holding the SQLite database and the repositories (<c>CAIRN_SPACE_DATA</c>).</summary>
    public required string DataPath { get; init; }

    /// <summary>A PostgreSQL connection string, or null for SQLite.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>The SQLite connection string: <c>space.db</c> under <see cref="DataPath"/> unless configured.</summary>
    public string SqliteConnectionString { get; init; } = "";

    public string RepositoriesPath => Path.Combine(DataPath, "repos");

    /// <summary>Where the repositories live: the local folder <see cref="RepositoriesPath"/> (default) or an S3 bucket.</summary>
    public Backups.Stores.StorageSettings Storage { get; init; } = Cairn.Space.Backups.Stores.StorageSettings.Local;

    public bool SignUpOpen { get; init; } = true;
    public string? AdminEmail { get; init; }
    public string? AdminPassword { get; init; }
    public long FreeBytesPerInstance { get; init; } = DefaultFreeBytesPerInstance;
    public long MaxObjectBytes { get; init; } = DefaultMaxObjectBytes;

    /// <summary>How often usage is sampled and metered (at least hourly).</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often stored bytes and snapshot records are reconciled against the stores.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromHours(6);

    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Whether the usage monitor runs (tests switch it off and run its jobs by hand).</summary>
    public bool UsageMonitorEnabled { get; init; } = true;

    /// <summary>A price sheet file replacing the embedded one, or null.</summary>
    public string? PriceSheetPath { get; init; }

    /// <summary>The URL clients reach Space at (for repository URLs), or null to use the request's.</summary>
    public string? PublicUrl { get; init; }

    public static SpaceSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Space");
        var connectionString = FirstOf(configuration.GetConnectionString("Space"), configuration["CAIRN_SPACE_DB"]);
        var settings = new SpaceSettings
        {
            DataPath = Path.GetFullPath(FirstOf(section["DataPath"], configuration["CAIRN_SPACE_DATA"]) ?? DefaultDataPath()),
            PostgresConnectionString = IsPostgres(connectionString) ? connectionString : null,
            SignUpOpen = section.GetValue("SignUpOpen", true),
            AdminEmail = FirstOf(section["AdminEmail"], configuration["CAIRN_SPACE_ADMIN_EMAIL"]),
            AdminPassword = FirstOf(section["AdminPassword"], configuration["CAIRN_SPACE_ADMIN_PASSWORD"]),
            FreeBytesPerInstance = section.GetValue("FreeBytesPerInstance", DefaultFreeBytesPerInstance),
            MaxObjectBytes = section.GetValue("MaxObjectBytes", DefaultMaxObjectBytes),
            SampleInterval = section.GetValue("SampleInterval", TimeSpan.FromMinutes(30)),
            ReconcileInterval = section.GetValue("ReconcileInterval", TimeSpan.FromHours(6)),
            TokenLifetime = section.GetValue("TokenLifetime", TimeSpan.FromDays(30)),
            UsageMonitorEnabled = section.GetValue("UsageMonitorEnabled", true),
            PriceSheetPath = FirstOf(section["PriceSheetPath"]),
            PublicUrl = FirstOf(section["PublicUrl"])?.TrimEnd('/'),
            Storage = Cairn.Space.Backups.Stores.StorageSettings.From(configuration),
        };
        settings = settings with
        {
            SqliteConnectionString = connectionString is not null && !IsPostgres(connectionString)
                ? connectionString
                : $"Data Source={Path.Combine(settings.DataPath, "space.db")}",
        };

        if (settings.FreeBytesPerInstance < 0 || settings.MaxObjectBytes <= 0)
        {
            throw new InvalidOperationException("Space:FreeBytesPerInstance must be >= 0 and Space:MaxObjectBytes > 0");
        }

        if (settings.SampleInterval <= TimeSpan.Zero || settings.SampleInterval > TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException("Space:SampleInterval must be above zero and at most one hour");
        }

        return settings;
    }

    /// <summary>A <c>cairn-space</c> folder in the user's local application data (~/.local/share on Linux), else ./data.</summary>
    public static string DefaultDataPath()
    {
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return string.IsNullOrEmpty(local) ? Path.Combine(Environment.CurrentDirectory, "data") : Path.Combine(local, "cairn-space");
    }

    private static string? FirstOf(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    // A SQLite string names a "Data Source"; a PostgreSQL one names a host.
    private static bool IsPostgres(string? connectionString)
        => connectionString is not null
           && (connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase)
               || connectionString.Contains("Server=", StringComparison.OrdinalIgnoreCase));
}
