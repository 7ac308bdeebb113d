using Cairn.Space.Cluster;
using Cairn.Space.Data;
using Cairn.Space.Domain;
using Cairn.Space.Metering;
using Cairn.Space.Storage;
using Cairn.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Services;

/// <summary>
/// The periodic work behind usage: metering and a usage sample per task (at least hourly), and the scan that
/// reconciles stored bytes and snapshot records with what the stores really hold (and sweeps leftover temporary files).
/// </summary>
public sealed class UsageJobs(
    SpaceDbContext db,
    StorageMetering metering,
    IRepositoryStorage storage,
    PeriodicSchedule schedule,
    SpaceSettings settings,
    TimeProvider clock,
    ILogger<UsageJobs> logger)
{
    /// <summary>
    /// One tick of the usage monitor on one replica: the reconcile scan and the sample each run when their interval is
    /// due for the cluster and this replica took it (<see cref="PeriodicSchedule"/>), so N replicas ticking at once run
    /// each interval once. Returns what ran.
    /// </summary>
    public async Task<(bool Reconciled, bool Sampled)> RunDueAsync(CancellationToken cancellationToken)
    {
        var reconciled = await schedule.TryTakeAsync(PeriodicSchedule.Reconcile, settings.ReconcileInterval, cancellationToken).ConfigureAwait(false);
        if (reconciled)
        {
            await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        }

        var sampled = await schedule.TryTakeAsync(PeriodicSchedule.UsageSample, settings.SampleInterval, cancellationToken).ConfigureAwait(false);
        if (sampled)
        {
            await SampleAsync(cancellationToken).ConfigureAwait(false);
        }

        return (reconciled, sampled);
    }

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        await metering.AccrueAllAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.DeletedAt == null)
            .Select(t => new { t.Id, t.StorageBytes }).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var task in tasks)
        {
            db.UsageSamples.Add(new UsageSample(task.Id, now, Math.Max(0, task.StorageBytes)));
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scans every active task's store; returns how many tasks had their bytes corrected.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.DeletedAt == null)
            .Select(t => new { t.Id, t.InstanceId }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var corrected = 0;
        foreach (var task in tasks)
        {
            try
            {
                if (await ReconcileTaskAsync(task.InstanceId, task.Id, cancellationToken).ConfigureAwait(false))
                {
                    corrected++;
                }
            }
            catch (StorageException e)
            {
                logger.LogWarning(e, "Reconciling task {TaskId} failed", task.Id);
            }
        }

        return corrected;
    }

    /// <summary>
    /// Removes what interrupted uploads left in every active task's store (temporary files untouched for an hour);
    /// run at start-up, before Kestrel listens. Returns how many files went.
    /// </summary>
    public async Task<int> SweepLeftoversAsync(CancellationToken cancellationToken)
    {
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.DeletedAt == null)
            .Select(t => new { t.Id, t.InstanceId }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var task in tasks)
        {
            try
            {
                await using var store = storage.Open(task.InstanceId, task.Id);
                removed += SweepLeftovers(store, task.Id, cancellationToken);
            }
            catch (StorageException e)
            {
                logger.LogWarning(e, "Sweeping task {TaskId} failed", task.Id);
            }
        }

        return removed;
    }

    private int SweepLeftovers(IObjectStore store, Guid taskId, CancellationToken cancellationToken)
    {
        var swept = TemporarySweep.SweepStale(store, clock, cancellationToken);
        if (swept.Files > 0)
        {
            logger.LogInformation("Task {TaskId}: removed {Files} leftover temporary files ({Bytes} bytes) of interrupted uploads",
                taskId, swept.Files, swept.Bytes);
        }

        return swept.Files;
    }

    private async Task<bool> ReconcileTaskAsync(Guid instanceId, Guid taskId, CancellationToken cancellationToken)
    {
        var before = await BytesOfAsync(taskId, cancellationToken).ConfigureAwait(false);
        long scanned = 0;
        var snapshotIds = new HashSet<string>(StringComparer.Ordinal);
        await using (var store = storage.Open(instanceId, taskId))
        {
            // Temporary files are never counted as usage; the scan is also where a crash's leftovers are removed.
            SweepLeftovers(store, taskId, cancellationToken);
            foreach (var kind in ObjectKinds.All)
            {
                await foreach (var info in ListOrEmptyAsync(store, kind, cancellationToken).ConfigureAwait(false))
                {
                    scanned += info.Size;
                    if (kind == ObjectKind.Snapshot)
                    {
                        snapshotIds.Add(info.Name.Name);
                    }
                }
            }
        }

        await ReconcileSnapshotsAsync(taskId, snapshotIds, cancellationToken).ConfigureAwait(false);

        // Only correct when no write moved the counter during the scan; a busy task is caught next time.
        var changed = await db.Tasks.Where(t => t.Id == taskId && t.StorageBytes == before && t.StorageBytes != scanned)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.StorageBytes, scanned), cancellationToken).ConfigureAwait(false);
        if (changed > 0)
        {
            logger.LogWarning("Task {TaskId} stored bytes corrected from {Recorded} to {Scanned}", taskId, before, scanned);
        }

        return changed > 0;
    }

    private async Task ReconcileSnapshotsAsync(Guid taskId, HashSet<string> inStore, CancellationToken cancellationToken)
    {
        var records = await db.Snapshots.Where(s => s.TaskId == taskId).ToListAsync(cancellationToken).ConfigureAwait(false);
        var known = records.Select(r => r.SnapshotId).ToHashSet(StringComparer.Ordinal);
        var gone = records.Where(r => !inStore.Contains(r.SnapshotId)).ToList();
        var missing = inStore.Where(id => !known.Contains(id)).ToList();
        if (gone.Count == 0 && missing.Count == 0)
        {
            return;
        }

        db.Snapshots.RemoveRange(gone);
        var now = clock.GetUtcNow();
        foreach (var id in missing)
        {
            // The write was missed (Space stopped mid-request); the scan is the earliest moment known.
            db.Snapshots.Add(new SnapshotRecord(taskId, id, now));
        }

        var task = await db.Tasks.SingleAsync(t => t.Id == taskId, cancellationToken).ConfigureAwait(false);
        var times = records.Where(r => inStore.Contains(r.SnapshotId) && !r.IsUnreadable).Select(r => r.WrittenAt)
            .Concat(missing.Select(_ => now)).ToList();
        task.SetLatestSnapshotAt(times.Count == 0 ? null : times.Max());
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        logger.LogWarning("Task {TaskId} snapshot records reconciled: {Added} added, {Removed} removed", taskId, missing.Count, gone.Count);
    }

    private async Task<long> BytesOfAsync(Guid taskId, CancellationToken cancellationToken)
        => await db.Tasks.Where(t => t.Id == taskId).Select(t => t.StorageBytes).SingleAsync(cancellationToken).ConfigureAwait(false);

    private static async IAsyncEnumerable<ObjectInfo> ListOrEmptyAsync(IObjectStore store, ObjectKind kind,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (kind == ObjectKind.Config)
        {
            ObjectInfo? config = null;
            try
            {
                config = await store.StatAsync(ObjectName.Config, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectNotFoundException)
            {
            }

            if (config is { } found)
            {
                yield return found;
            }

            yield break;
        }

        await foreach (var info in store.ListAsync(kind, cancellationToken).ConfigureAwait(false))
        {
            yield return info;
        }
    }
}
