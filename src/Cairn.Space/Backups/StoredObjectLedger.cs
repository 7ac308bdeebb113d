using Cairn.Space.Data;
using Cairn.Space.Usage;
using Cairn.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Backups;

/// <summary>
/// Counts each stored object's bytes in its task's stored bytes exactly once, whichever replica a retry or a racing
/// duplicate lands on: the row of <see cref="StoredObject"/> is inserted with a conditional insert and the bytes
/// are added in the same transaction only when the insert made the row; a removal subtracts only when its delete
/// removed the row. Row first, then the task's counter, in every transaction here and in the reconcile scan, so
/// concurrent writers never wait on each other in opposite orders. On PostgreSQL an addition is one statement.
/// </summary>
public sealed class StoredObjectLedger(SpaceDbContext db)
{
    /// <summary>Records the object and adds its bytes; false when it was recorded already (nothing added).</summary>
    public async Task<bool> AddAsync(Guid taskId, ObjectName name, long size, string? sha256, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            // One statement, one round trip (it is on every upload's answer path): the insert and the addition
            // commit together, and the update runs only when the insert made the row.
            var kind = (int)name.Kind;
            var added = await db.Database.ExecuteSqlAsync(
                $"""
                WITH made AS (INSERT INTO "StoredObjects" ("TaskId", "Kind", "Name", "Size", "Sha256") VALUES ({taskId}, {kind}, {name.Name}, {size}, {sha256}) ON CONFLICT DO NOTHING RETURNING "Size")
                UPDATE "Tasks" SET "StorageBytes" = "StorageBytes" + made."Size" FROM made WHERE "Tasks"."Id" = {taskId}
                """,
                cancellationToken).ConfigureAwait(false);
            return added == 1;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var inserted = await InsertIfAbsentAsync(db, new StoredObject(taskId, name, size, sha256), cancellationToken).ConfigureAwait(false);
        if (inserted)
        {
            await db.Tasks.Where(t => t.Id == taskId)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.StorageBytes, t => t.StorageBytes + size), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <summary>Forgets the object and subtracts its bytes; null when no row was there (nothing subtracted).</summary>
    public async Task<long?> RemoveAsync(Guid taskId, ObjectName name, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var row = Rows(taskId, name);
        var size = await row.Select(o => (long?)o.Size).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var removed = size is not null && await row.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) == 1;
        if (removed)
        {
            await db.Tasks.Where(t => t.Id == taskId)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.StorageBytes, t => t.StorageBytes - size!.Value), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        // The stored-bytes gauge is read from the database (Cluster/ClusterFigures), not moved here.
        return removed ? size : null;
    }

    public Task<StoredObject?> FindAsync(Guid taskId, ObjectName name, CancellationToken cancellationToken)
        => Rows(taskId, name).AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// <c>INSERT … ON CONFLICT DO NOTHING</c>, which both SQLite and PostgreSQL speak: the row count says whether this
    /// call made the row. On PostgreSQL a racing insert of the same key waits for the first to commit, then makes none.
    /// </summary>
    internal static async Task<bool> InsertIfAbsentAsync(SpaceDbContext db, StoredObject row, CancellationToken cancellationToken)
    {
        var kind = (int)row.Kind;
        var made = await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "StoredObjects" ("TaskId", "Kind", "Name", "Size", "Sha256") VALUES ({row.TaskId}, {kind}, {row.Name}, {row.Size}, {row.Sha256}) ON CONFLICT DO NOTHING""",
            cancellationToken).ConfigureAwait(false);
        return made == 1;
    }

    private IQueryable<StoredObject> Rows(Guid taskId, ObjectName name)
    {
        var kind = name.Kind;
        var objectName = name.Name;
        return db.StoredObjects.Where(o => o.TaskId == taskId && o.Kind == kind && o.Name == objectName);
    }
}
