using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Usage;

/// <summary>
/// Keeps a task's stored bytes and snapshot records in step with its repository, write by write. Bytes are counted
/// through <see cref="StoredObjectLedger"/>, once per object whatever replica a retry or a duplicate lands on.
/// </summary>
public sealed class UsageRecorder(SpaceDbContext db, StoredObjectLedger ledger, TimeProvider clock)
{
    /// <param name="sha256">The content's SHA-256 for <c>config</c> (kept to refuse other bytes later); null otherwise.</param>
    /// <returns>Whether this call counted the object (false: it was counted before, by this replica or another).</returns>
    public async Task<bool> ObjectAddedAsync(Guid taskId, ObjectName name, long size, string? sha256, CancellationToken cancellationToken)
    {
        var counted = await ledger.AddAsync(taskId, name, size, sha256, cancellationToken).ConfigureAwait(false);
        if (name.Kind != ObjectKind.Snapshot)
        {
            return counted;
        }

        // The snapshot's record and the task's latest time are made whether or not this call counted the bytes: a
        // replica killed after counting but before recording leaves them to the client's retry, which lands here
        // with the object counted already (on this replica or any other). Both steps are idempotent.
        var now = clock.GetUtcNow();
        if (!await db.Snapshots.AnyAsync(s => s.TaskId == taskId && s.SnapshotId == name.Name, cancellationToken).ConfigureAwait(false))
        {
            db.Snapshots.Add(new SnapshotRecord(taskId, name.Name, now));
        }

        if (counted)
        {
            // A snapshot ends a backup: a usage sample here gives the chart one point per backup.
            db.UsageSamples.Add(new UsageSample(taskId, now, Math.Max(0, await BytesOfAsync(taskId, cancellationToken).ConfigureAwait(false))));
        }

        await SaveIgnoringDuplicateAsync(cancellationToken).ConfigureAwait(false);
        await SetLatestSnapshotAsync(db, taskId, cancellationToken).ConfigureAwait(false);
        return counted;
    }

    /// <summary>After an object was deleted from the store: its bytes go (once), and a snapshot's record with it.</summary>
    public async Task ObjectRemovedAsync(Guid taskId, ObjectName name, CancellationToken cancellationToken)
    {
        var removed = await ledger.RemoveAsync(taskId, name, cancellationToken).ConfigureAwait(false);
        if (name.Kind != ObjectKind.Snapshot)
        {
            return;
        }

        // Whether or not this delete was the one that counted: the snapshot is gone either way.
        await db.Snapshots.Where(s => s.TaskId == taskId && s.SnapshotId == name.Name)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        if (removed is not null)
        {
            db.UsageSamples.Add(new UsageSample(taskId, clock.GetUtcNow(), Math.Max(0, await BytesOfAsync(taskId, cancellationToken).ConfigureAwait(false))));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        await SetLatestSnapshotAsync(db, taskId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Read in one statement (never through a tracked, possibly stale entity).</summary>
    private Task<long> BytesOfAsync(Guid taskId, CancellationToken cancellationToken)
        => db.Tasks.Where(t => t.Id == taskId).Select(t => t.StorageBytes).SingleAsync(cancellationToken);

    /// <summary>The task's latest snapshot time: of the snapshots not known to be unreadable.</summary>
    internal static async Task SetLatestSnapshotAsync(SpaceDbContext db, Guid taskId, CancellationToken cancellationToken)
    {
        var times = await db.Snapshots.Where(s => s.TaskId == taskId && s.UnreadableAt == null).Select(s => s.WrittenAt).ToListAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset? latest = times.Count == 0 ? null : times.Max();
        await db.Tasks.Where(t => t.Id == taskId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LatestSnapshotAt, latest), cancellationToken).ConfigureAwait(false);
    }

    private async Task SaveIgnoringDuplicateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // The same snapshot object saved twice at once: the first record stands.
            db.ChangeTracker.Clear();
        }
    }
}
