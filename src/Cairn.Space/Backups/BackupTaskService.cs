using Cairn.Space.Backups.Stores;
using Cairn.Space.Data;
using Cairn.Space.Instances;
using Cairn.Space.Usage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Backups;

/// <summary>Backup tasks: created by <c>restic init</c> or the API, listed with their usage, deleted with their data.</summary>
public sealed class BackupTaskService(
    SpaceDbContext db,
    TimeProvider clock,
    IRepositoryStorage storage,
    StorageMetering metering,
    ILogger<BackupTaskService> logger)
{
    /// <summary>The active task of that name, created when missing (the first sample is zero bytes at creation).</summary>
    public async Task<BackupTask> GetOrCreateAsync(Instance instance, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var valid = Names.RequireTaskName(name);
        var existing = await FindAsync(instance.Id, valid, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing;
        }

        var task = new BackupTask(Guid.NewGuid(), instance.Id, valid, clock.GetUtcNow());
        db.Tasks.Add(task);
        db.UsageSamples.Add(new UsageSample(task.Id, task.CreatedAt, 0));
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another request created it first (restic may send requests in parallel).
            db.ChangeTracker.Clear();
            return await FindAsync(instance.Id, valid, cancellationToken).ConfigureAwait(false)
                   ?? throw new ConflictException($"task '{valid}' could not be created");
        }

        logger.LogInformation("Backup task {Task} of instance {Instance} created", task.Name, instance.Name);
        return task;
    }

    /// <summary>Creates a task through the API; a name in use is a conflict.</summary>
    public async Task<BackupTask> CreateAsync(Instance instance, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var valid = Names.RequireTaskName(name);
        if (await FindAsync(instance.Id, valid, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new ConflictException($"instance '{instance.Name}' has a task '{valid}' already");
        }

        var task = await GetOrCreateAsync(instance, valid, cancellationToken).ConfigureAwait(false);
        await using var store = storage.Open(instance.Id, task.Id);
        await store.CreateAsync(cancellationToken).ConfigureAwait(false);
        return task;
    }

    public Task<BackupTask?> FindAsync(Guid instanceId, string name, CancellationToken cancellationToken)
        => db.Tasks.SingleOrDefaultAsync(t => t.InstanceId == instanceId && t.Name == name && t.DeletedAt == null, cancellationToken);

    public async Task<IReadOnlyList<BackupTaskView>> ListAsync(Guid accountId, CancellationToken cancellationToken)
        => await (from t in db.Tasks.AsNoTracking()
                  join i in db.Instances.AsNoTracking() on t.InstanceId equals i.Id
                  where i.AccountId == accountId && t.DeletedAt == null
                  orderby i.Name, t.Name
                  select new BackupTaskView(t, i)).ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The account's task with that ID; <see cref="NotFoundException"/> for a task of anyone else.</summary>
    public async Task<BackupTaskView> GetAsync(Guid accountId, Guid taskId, CancellationToken cancellationToken)
        => await (from t in db.Tasks
                  join i in db.Instances on t.InstanceId equals i.Id
                  where i.AccountId == accountId && t.Id == taskId && t.DeletedAt == null
                  select new BackupTaskView(t, i)).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false)
           ?? throw new NotFoundException("no such backup task");

    public async Task<BackupTaskDetails> GetDetailsAsync(Guid accountId, Guid taskId, CancellationToken cancellationToken)
    {
        var view = await GetAsync(accountId, taskId, cancellationToken).ConfigureAwait(false);
        var samples = await db.UsageSamples.AsNoTracking().Where(s => s.TaskId == taskId)
            .OrderBy(s => s.At).ThenBy(s => s.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var snapshots = await db.Snapshots.AsNoTracking().Where(s => s.TaskId == taskId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new BackupTaskDetails(view, samples, [.. snapshots.OrderBy(s => s.WrittenAt).ThenBy(s => s.SnapshotId, StringComparer.Ordinal)]);
    }

    /// <summary>Deletes a task and its repository. Storage up to now stays metered; the bytes stop counting.</summary>
    public async Task DeleteAsync(Guid accountId, Guid taskId, CancellationToken cancellationToken)
    {
        var view = await GetAsync(accountId, taskId, cancellationToken).ConfigureAwait(false);
        await metering.AccrueAsync(view.Instance.Id, cancellationToken).ConfigureAwait(false);

        var now = clock.GetUtcNow();
        var task = await db.Tasks.SingleAsync(t => t.Id == taskId, cancellationToken).ConfigureAwait(false);
        var freed = task.StorageBytes;
        task.Delete(now);
        task.SetStorageBytes(0);
        task.MarkMetered(0);
        foreach (var credential in await db.Credentials.Where(c => c.TaskId == taskId && c.RevokedAt == null)
                     .ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            credential.Revoke(now);
        }

        await db.Snapshots.Where(s => s.TaskId == taskId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Locks.Where(l => l.TaskId == taskId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.StoredObjects.Where(o => o.TaskId == taskId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await storage.DeleteRepositoryAsync(view.Instance.Id, taskId, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Backup task {Task} of instance {Instance} deleted with {Bytes} bytes", task.Name, view.Instance.Name, freed);
    }

    /// <summary>Records what a client reports about one of its snapshots (file count and size); false when there is no such snapshot.</summary>
    public async Task<bool> ReportSnapshotAsync(Guid taskId, string snapshotId, long fileCount, long totalBytes, CancellationToken cancellationToken)
    {
        var record = await db.Snapshots.SingleOrDefaultAsync(s => s.TaskId == taskId && s.SnapshotId == snapshotId, cancellationToken)
            .ConfigureAwait(false);
        if (record is null)
        {
            return false;
        }

        record.Report(fileCount, totalBytes);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}

/// <summary>A task with the instance it belongs to.</summary>
public sealed record BackupTaskView(BackupTask Task, Instance Instance);

/// <summary>A task with its usage history and snapshots, oldest first.</summary>
public sealed record BackupTaskDetails(BackupTaskView View, IReadOnlyList<UsageSample> Usage, IReadOnlyList<SnapshotRecord> Snapshots);
