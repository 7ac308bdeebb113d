using Cairn.Space.Usage;
using Cairn.Storage;

namespace Cairn.Space.Backups;

/// <summary>
/// A snapshot that a task's repository holds. Space cannot read snapshots (they are encrypted), so the time is when
/// the <c>snapshots/</c> object was written; file count and size come from the client when it reports them.
/// </summary>
public sealed class SnapshotRecord
{
    private SnapshotRecord()
    {
    }

    public SnapshotRecord(Guid taskId, string snapshotId, DateTimeOffset writtenAt)
    {
        if (!ObjectName.IsValid(ObjectKind.Snapshot, snapshotId))
        {
            throw new DomainRuleException("a snapshot ID is 64 lowercase hexadecimal characters");
        }

        TaskId = taskId;
        SnapshotId = snapshotId;
        WrittenAt = writtenAt.ToUniversalTime();
    }

    public Guid TaskId { get; private set; }
    public string SnapshotId { get; private set; } = "";
    public DateTimeOffset WrittenAt { get; private set; }
    public long? FileCount { get; private set; }
    public long? TotalBytes { get; private set; }

    /// <summary>When the owner's password was found not to open it (a damaged or planted file); null while none knows.</summary>
    public DateTimeOffset? UnreadableAt { get; private set; }

    public bool IsUnreadable => UnreadableAt is not null;

    public void MarkUnreadable(DateTimeOffset now) => UnreadableAt ??= now.ToUniversalTime();

    public void Report(long fileCount, long totalBytes)
    {
        if (fileCount < 0 || totalBytes < 0)
        {
            throw new DomainRuleException("file count and size cannot be negative");
        }

        FileCount = fileCount;
        TotalBytes = totalBytes;
    }
}
