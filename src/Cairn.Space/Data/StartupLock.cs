using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Data;

/// <summary>
/// Held while a replica migrates the schema, seeds the operator and makes the first console key, so that replicas
/// starting at once do each of these once. On PostgreSQL a session advisory lock on a connection of its own (every
/// replica, whatever machine it runs on, waits for it); SQLite serves one process, so a lock in this process is all.
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    /// <summary>The advisory lock's key: "CairnSUp" as eight ASCII bytes, a number no other lock of ours uses.</summary>
    internal const long AdvisoryKey = 0x436169726E535570;

    private static readonly SemaphoreSlim s_inProcess = new(1, 1);

    private readonly DbConnection? _connection;

    private StartupLock(DbConnection? connection) => _connection = connection;

    public static async Task<StartupLock> AcquireAsync(SpaceDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsNpgsql())
        {
            await s_inProcess.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new StartupLock(null);
        }

        // A connection of the lock's own: the migrations open and close theirs as they like.
        var connection = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT pg_advisory_lock({AdvisoryKey})";
            command.CommandTimeout = 0; // as long as the replica ahead of us takes to migrate
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new StartupLock(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null)
        {
            s_inProcess.Release();
            return;
        }

        // Unlocked before the connection goes back to the pool (whose reset would release it too).
        await using (_connection.ConfigureAwait(false))
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT pg_advisory_unlock({AdvisoryKey})";
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
