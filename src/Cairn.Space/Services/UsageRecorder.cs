using Cairn.Space.Data;
using Cairn.Space.Domain;
using Cairn.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Services;

/// <summary>
/// Keeps a task's stored bytes and snapshot records in step with its repository, write by write. The counters move
/// in single SQL updates, so parallel uploads never lose an increment.
/// </summary>
public sealed class UsageRecorder(SpaceDbContext db, TimeProvider clock)
{
    public async Task ObjectAddedAsync(Guid taskId, ObjectName name, long size, CancellationToken cancellationToken)
    {
        var bytes = await AddBytesAsync(taskId, size, cancellationToken).ConfigureAwait(false);
        if (name.Kind != ObjectKind.Snapshot)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (!await db.Snapshots.AnyAsync(s => s.TaskId == taskId && s.SnapshotId == name.Name, cancellationToken).ConfigureAwait(false))
        {
            db.Snapshots.Add(new SnapshotRecord(taskId, name.Name, now));
        }

        // A snapshot ends a backup: a usage sample here gives the chart one point per backup.
        db.UsageSamples.Add(new UsageSample(taskId, now, Math.Max(0, bytes)));
        await SaveIgnoringDuplicateAsync(cancellationToken).ConfigureAwait(false);
        await SetLatestSnapshotAsync(db, taskId, cancellationToken).ConfigureAwait(false);
    }

    public async Task ObjectRemovedAsync(Guid taskId, ObjectName name, long size, CancellationToken cancellationToken)
    {
        var bytes = await AddBytesAsync(taskId, -size, cancellationToken).ConfigureAwait(false);
        if (name.Kind != ObjectKind.Snapshot)
        {
            return;
        }

        await db.Snapshots.Where(s => s.TaskId == taskId && s.SnapshotId == name.Name)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        db.UsageSamples.Add(new UsageSample(taskId, clock.GetUtcNow(), Math.Max(0, bytes)));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await SetLatestSnapshotAsync(db, taskId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves the counter in one statement and reads it back (never through a tracked, possibly stale entity).</summary>
    private async Task<long> AddBytesAsync(Guid taskId, long delta, CancellationToken cancellationToken)
    {
        await db.Tasks.Where(t => t.Id == taskId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.StorageBytes, t => t.StorageBytes + delta), cancellationToken)
            .ConfigureAwait(false);
        return await db.Tasks.Where(t => t.Id == taskId).Select(t => t.StorageBytes).SingleAsync(cancellationToken).ConfigureAwait(false);
    }

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
