using Cairn.Repository.Access;
using Cairn.Space.Backups.Stores;
using Cairn.Space.Data;
using Cairn.Space.Usage;
using Cairn.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Backups;

/// <summary>
/// Which snapshot records are known not to open. Space cannot decrypt a snapshot, so it learns this only with the
/// owner's password: when a restore is ordered (the password is in the request) and from the install (the
/// <see cref="MarkUnreadableAsync"/> hook). An append-only credential can upload a file with a correct name and
/// random bytes; marked unreadable, it is no longer shown or chosen as the latest snapshot.
/// </summary>
public sealed class SnapshotReadability(
    SpaceDbContext db,
    IRepositoryStorage storage,
    TimeProvider clock,
    ILogger<SnapshotReadability> logger)
{
    /// <summary>At most this many snapshots are tried per order, newest first, so a flood of garbage costs little.</summary>
    public const int MaxSnapshotsTried = 20;

    /// <summary>The hook for whoever opened the repository with the owner's password: this snapshot did not open.</summary>
    public async Task MarkUnreadableAsync(Guid taskId, string snapshotId, CancellationToken cancellationToken)
    {
        var record = await db.Snapshots.SingleOrDefaultAsync(s => s.TaskId == taskId && s.SnapshotId == snapshotId, cancellationToken)
            .ConfigureAwait(false);
        if (record is null || record.IsUnreadable)
        {
            return;
        }

        record.MarkUnreadable(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await UsageRecorder.SetLatestSnapshotAsync(db, taskId, cancellationToken).ConfigureAwait(false);
        logger.LogWarning("Snapshot {SnapshotId} of task {TaskId} does not open with the owner's password; marked unreadable", snapshotId, taskId);
    }

    /// <summary>
    /// Before an order is placed: opens the task's repository with the master key the owner's password unwrapped
    /// (<see cref="PasswordCheck.BackupPasswordCheck"/>, so scrypt runs once) and tries the snapshot asked for (for
    /// "latest", the newest not yet marked, then the next), marking each that does not open. Returns the snapshot
    /// that opened (its tags and host, which only the password reveals), or null when none was read.
    /// </summary>
    public async Task<SnapshotHeader?> CheckAsync(Guid accountId, Guid taskId, string? snapshotId, UnlockedKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var task = await (from t in db.Tasks.AsNoTracking()
                          join i in db.Instances.AsNoTracking() on t.InstanceId equals i.Id
                          where i.AccountId == accountId && t.Id == taskId && t.DeletedAt == null
                          select t).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return null; // the quote says why
        }

        var latest = string.IsNullOrWhiteSpace(snapshotId) || snapshotId == "latest";
        var records = await db.Snapshots.AsNoTracking().Where(s => s.TaskId == taskId && s.UnreadableAt == null)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var candidates = latest
            ? records.OrderByDescending(s => s.WrittenAt).ThenByDescending(s => s.SnapshotId, StringComparer.Ordinal).Take(MaxSnapshotsTried).ToList()
            : [.. records.Where(s => snapshotId!.Length >= 8 && s.SnapshotId.StartsWith(snapshotId, StringComparison.Ordinal)).Take(2)];
        if (candidates.Count == 0 || (!latest && candidates.Count > 1))
        {
            return null; // nothing to check, or the quote refuses the ambiguous prefix
        }

        var reader = await SnapshotReader.TryOpenAsync(storage.Open(task.InstanceId, task.Id), key, cancellationToken).ConfigureAwait(false);
        if (reader is null)
        {
            return null;
        }

        await using (reader.ConfigureAwait(false))
        {
            foreach (var candidate in candidates)
            {
                try
                {
                    if (await reader.TryReadAsync(candidate.SnapshotId, cancellationToken).ConfigureAwait(false) is { } opened)
                    {
                        return opened;
                    }

                    await MarkUnreadableAsync(task.Id, candidate.SnapshotId, cancellationToken).ConfigureAwait(false);
                }
                catch (ObjectNotFoundException)
                {
                    // Deleted since it was listed; the reconciling scan drops its record.
                }
            }
        }

        return null;
    }
}
