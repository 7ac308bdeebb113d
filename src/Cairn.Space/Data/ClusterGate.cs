using System.Collections.Concurrent;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cairn.Space.Data;

/// <summary>
/// One change at a time to one thing (an account's balance, an instance's meter) for the whole cluster: a database
/// transaction that holds, on PostgreSQL, a transaction-level advisory lock on the thing's key, so replicas on any
/// machine wait for each other and the lock ends with the transaction; on SQLite (one process) a lock in the process
/// and no transaction, as before there were replicas.
/// What is read inside was committed before the gate opened: read it again there, never before.
/// </summary>
public sealed class ClusterGate(SpaceDbContext db)
{
    private static readonly ConcurrentDictionary<long, SemaphoreSlim> s_inProcess = new();

    public async Task<GateHold> EnterAsync(string kind, Guid id, CancellationToken cancellationToken)
    {
        var key = Key(kind, id);
        if (db.Database.IsNpgsql())
        {
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken).ConfigureAwait(false);
                return new GateHold(transaction, null);
            }
            catch
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        // SQLite serves one process: the lock in the process is the whole gate, and each SaveChanges stays its own
        // short write, so a gate held never makes another request's write wait on the file.
        var local = s_inProcess.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await local.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new GateHold(null, local);
    }

    /// <summary>A stable 64-bit key of what is guarded: the first eight bytes of SHA-256 over kind and id.</summary>
    internal static long Key(string kind, Guid id)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}:{id:N}"), hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }
}

/// <summary>
/// An open gate: on PostgreSQL <see cref="CommitAsync"/> keeps what was written and disposing without it rolls back;
/// on SQLite what SaveChanges wrote is already kept.
/// </summary>
public sealed class GateHold(IDbContextTransaction? transaction, SemaphoreSlim? local) : IAsyncDisposable
{
    public Task CommitAsync(CancellationToken cancellationToken) => transaction?.CommitAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            local?.Release();
        }
    }
}

/// <summary>The kinds of thing <see cref="ClusterGate"/> guards.</summary>
public static class GateKinds
{
    /// <summary>An account's balance: every ledger entry, and the state changes that go with one (an order paid).</summary>
    public const string Balance = "balance";

    /// <summary>An instance's storage meter: each interval is accrued once.</summary>
    public const string Meter = "meter";
}
