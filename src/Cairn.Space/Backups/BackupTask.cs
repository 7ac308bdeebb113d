using Cairn.Space.Usage;

namespace Cairn.Space.Backups;

/// <summary>One backup task of an instance: one restic repository at <c>/repo/{instance}/{task}/</c>.</summary>
public sealed class BackupTask
{
    private BackupTask()
    {
    }

    public BackupTask(Guid id, Guid instanceId, string name, DateTimeOffset createdAt)
    {
        Id = id;
        InstanceId = instanceId;
        Name = Names.RequireTaskName(name);
        CreatedAt = createdAt.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid InstanceId { get; private set; }
    public string Name { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }

    /// <summary>Exact bytes in the repository: moved on every write and delete, set by the reconciling scan.</summary>
    public long StorageBytes { get; private set; }

    /// <summary>The bytes when metering last accrued, so the next interval is metered from both ends.</summary>
    public long MeteredBytes { get; private set; }

    public DateTimeOffset? LatestSnapshotAt { get; private set; }

    public bool IsActive => DeletedAt is null;

    public void Delete(DateTimeOffset now)
    {
        if (DeletedAt is null)
        {
            DeletedAt = now.ToUniversalTime();
        }
    }

    public void SetStorageBytes(long bytes)
    {
        if (bytes < 0)
        {
            throw new DomainRuleException("stored bytes cannot be negative");
        }

        StorageBytes = bytes;
    }

    public void MarkMetered(long bytes) => MeteredBytes = Math.Max(0, bytes);

    public void SetLatestSnapshotAt(DateTimeOffset? at) => LatestSnapshotAt = at?.ToUniversalTime();
}
