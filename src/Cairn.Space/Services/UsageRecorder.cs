using Cairn.Space.Data;
using Cairn.Space.Domain;
using Cairn.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Services;

/// <summary>
/// Keeps a task's stored bytes and snapshot records in step with its repository, write by write. The counters move
/// in single SQL updates, so parallel uploads never lose an increment.
/// </summary>
public sealed class UsageRecorder(SpaceDbContext db, TimeProvider clock, SpaceMetrics metrics)
{
    public async Task ObjectAddedAsync(Guid taskId, ObjectName name, long size, CancellationToken cancellationToken)
    {
        await db.Tasks.Where(t => t.Id == taskId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.StorageBytes, t => t.StorageBytes + size), cancellationToken)
            .ConfigureAwait(false);
        metrics.StoredBytesChanged(size);
        if (name.Kind != ObjectKind.Snapshot)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (!await db.Snapshots.AnyAsync(s => s.TaskId == taskId && s.SnapshotId == name.Name, cancellationToken).ConfigureAwait(false))
        {
            db.Snapshots.Add(new SnapshotRecord(taskId, name.Name, now));
        }

        var task = await db.Tasks.SingleAsync(t => t.Id == taskId, cancellationToken).ConfigureAwait(false);
        if (task.LatestSnapshotAt is null || task.LatestSnapshotAt < now)
        {
            task.SetLatestSnapshotAt(now);
        }

        // A snapshot ends a backup: a usage sample here gives the chart one point per backup.
        db.UsageSamples.Add(new UsageSample(taskId, now, task.StorageBytes));
        await SaveIgnoringDuplicateAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ObjectRemovedAsync(Guid taskId, ObjectName name, long size, CancellationToken cancellationToken)
    {
        await db.Tasks.Where(t => t.Id == taskId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.StorageBytes, t => t.StorageBytes - size), cancellationToken)
            .ConfigureAwait(false);
        metrics.StoredBytesChanged(-size);
        if (name.Kind != ObjectKind.Snapshot)
        {
            return;
        }

        await db.Snapshots.Where(s => s.TaskId == taskId && s.SnapshotId == name.Name)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var task = await db.Tasks.SingleAsync(t => t.Id == taskId, cancellationToken).ConfigureAwait(false);
        var times = await db.Snapshots.Where(s => s.TaskId == taskId).Select(s => s.WrittenAt)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        task.SetLatestSnapshotAt(times.Count == 0 ? null : times.Max());
        db.UsageSamples.Add(new UsageSample(taskId, clock.GetUtcNow(), Math.Max(0, task.StorageBytes)));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
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
