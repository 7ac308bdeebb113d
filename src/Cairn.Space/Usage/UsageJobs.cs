using Cairn.Space.Backups;
using Cairn.Space.Backups.Stores;
using Cairn.Space.Cluster;
using Cairn.Space.Data;
using Cairn.Storage;
using Microsoft.EntityFrameworkCore;


namespace Cairn.Space.Usage;

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
        var scanned = new Dictionary<(ObjectKind Kind, string Name), StoredObject>();
        await using (var store = storage.Open(instanceId, taskId))
        {
            // Temporary files are never counted as usage; the scan is also where a crash's leftovers are removed.
            SweepLeftovers(store, taskId, cancellationToken);
            foreach (var kind in ObjectKinds.All)
            {
                await foreach (var info in ListOrEmptyAsync(store, kind, cancellationToken).ConfigureAwait(false))
                {
                    var sha256 = kind == ObjectKind.Config ? await Sha256OfAsync(store, info, cancellationToken).ConfigureAwait(false) : null;
                    scanned[(kind, info.Name.Name)] = new StoredObject(taskId, info.Name, info.Size, sha256);
                }
            }
        }

        await ReconcileSnapshotsAsync(taskId, scanned.Keys.Where(k => k.Kind == ObjectKind.Snapshot).Select(k => k.Name).ToHashSet(StringComparer.Ordinal),
            cancellationToken).ConfigureAwait(false);

        var total = scanned.Values.Sum(o => o.Size);
        var changed = await SetStoredObjectsAsync(taskId, scanned, before, total, cancellationToken).ConfigureAwait(false);
        if (changed && before != total)
        {
            logger.LogWarning("Task {TaskId} stored bytes corrected from {Recorded} to {Scanned}", taskId, before, total);
        }

        return changed && before != total;
    }

    /// <summary>
    /// Makes the task's rows of stored objects and its count what the scan found, in one transaction that commits
    /// only when no write moved the counter since the scan began (a busy task is caught next time). Rows first, then
    /// the counter: the order every upload and delete takes too (StoredObjectLedger).
    /// </summary>
    private async Task<bool> SetStoredObjectsAsync(Guid taskId, Dictionary<(ObjectKind Kind, string Name), StoredObject> scanned, long before, long total,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.StoredObjects.AsNoTracking().Where(o => o.TaskId == taskId).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            if (!scanned.TryGetValue((row.Kind, row.Name), out var found) || found.Size != row.Size || found.Sha256 != row.Sha256)
            {
                var (kind, name) = (row.Kind, row.Name);
                await db.StoredObjects.Where(o => o.TaskId == taskId && o.Kind == kind && o.Name == name)
                    .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var kept = rows.Where(r => scanned.TryGetValue((r.Kind, r.Name), out var f) && f.Size == r.Size && f.Sha256 == r.Sha256)
            .Select(r => (r.Kind, r.Name)).ToHashSet();
        foreach (var (key, found) in scanned)
        {
            if (!kept.Contains(key))
            {
                await StoredObjectLedger.InsertIfAbsentAsync(db, found, cancellationToken).ConfigureAwait(false);
            }
        }

        var counted = await db.Tasks.Where(t => t.Id == taskId && t.StorageBytes == before)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.StorageBytes, total), cancellationToken).ConfigureAwait(false);
        if (counted == 0)
        {
            return false; // disposing rolls the rows back
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<string> Sha256OfAsync(IObjectStore store, ObjectInfo info, CancellationToken cancellationToken)
    {
        await using var content = await store.OpenReadAsync(info.Name, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false));
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
