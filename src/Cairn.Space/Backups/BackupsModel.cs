using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Space.Backups;

/// <summary>How backup tasks are stored; applied by <c>SpaceDbContext</c>.</summary>
public sealed class BackupTaskModel : IEntityTypeConfiguration<BackupTask>
{
    public void Configure(EntityTypeBuilder<BackupTask> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(t => t.Id);
        e.Property(t => t.Name).HasMaxLength(Names.MaxTaskNameLength);
        e.HasIndex(t => new { t.InstanceId, t.Name }).IsUnique().HasFilter(SpaceModel.Active);
        e.Ignore(t => t.IsActive);
    }
}

public sealed class SnapshotRecordModel : IEntityTypeConfiguration<SnapshotRecord>
{
    public void Configure(EntityTypeBuilder<SnapshotRecord> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(s => new { s.TaskId, s.SnapshotId });
        e.Property(s => s.SnapshotId).HasMaxLength(64);
        e.Ignore(s => s.IsUnreadable);
    }
}

/// <summary>Who wrote each lock file (Backups/Protocol): a Backup URL removes only its own.</summary>
public sealed class LockRecordModel : IEntityTypeConfiguration<LockRecord>
{
    public void Configure(EntityTypeBuilder<LockRecord> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(l => new { l.TaskId, l.LockName });
        e.Property(l => l.LockName).HasMaxLength(64);
    }
}

/// <summary>Objects counted in usage, once each across replicas (Backups/StoredObjectLedger).</summary>
public sealed class StoredObjectModel : IEntityTypeConfiguration<StoredObject>
{
    public void Configure(EntityTypeBuilder<StoredObject> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(o => new { o.TaskId, o.Kind, o.Name });
        e.Property(o => o.Name).HasMaxLength(64);
        e.Property(o => o.Sha256).HasMaxLength(64);
    }
}
