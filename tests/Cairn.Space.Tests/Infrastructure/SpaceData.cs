using Cairn.Platform;
using Cairn.Testing.Trees;

namespace Cairn.Space.Tests.Infrastructure;

/// <summary>
/// What a Space keeps from one of its processes to the next: its data folder, its database (the SQLite file in that
/// folder, or a PostgreSQL database of its own or one it shares with other replicas), its clock and its logs.
/// Created empty; removed when disposed (a shared PostgreSQL database is its owner's to drop).
/// </summary>
public sealed class SpaceData : IAsyncDisposable
{
    private readonly string? _ownDatabase;

    public SpaceData(DatabaseKind database, string? sharedPostgres = null)
    {
        Database = database;
        if (sharedPostgres is not null)
        {
            Database = DatabaseKind.Postgres;
            PostgresConnection = sharedPostgres;
        }
        else if (database == DatabaseKind.Postgres)
        {
            PostgresConnection = TestPostgres.NewDatabase(out var name);
            _ownDatabase = name;
        }

        DataPath = Path.Combine(Path.GetTempPath(), "cairn-space-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataPath);
    }

    /// <summary>The first instant of every test Space's clock.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    public DatabaseKind Database { get; }

    /// <summary>The PostgreSQL connection string of this Space's database; null on SQLite.</summary>
    public string? PostgresConnection { get; }

    public string DataPath { get; }

    public TestClock Clock { get; } = new(Start);

    /// <summary>Everything every process of this Space logged, at every level (the console gets warnings only).</summary>
    public LogCapture Logs { get; } = new();

    public async ValueTask DisposeAsync()
    {
        if (_ownDatabase is not null)
        {
            await TestPostgres.DropAsync(_ownDatabase);
        }

        try
        {
            // Restores leave 0700 disks owned by the restore user; the kit's removal opens folders as it goes.
            Scratch.RemoveTree(RawPath.FromString(DataPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a temp folder left behind is not a failure.
        }
    }
}
