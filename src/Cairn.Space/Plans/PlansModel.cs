using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Space.Plans;

/// <summary>
/// How plans are stored; applied by <c>SpaceDbContext</c>. Paths, excludes, schedule, window, retention and prune
/// are JSON columns: Space reads and writes them whole and never queries inside them, a schedule's fields depend on
/// its kind, and a JSON column keeps the protocol's shape on both providers without a table per part.
/// </summary>
public sealed class BackupPlanModel : IEntityTypeConfiguration<BackupPlan>
{
    public void Configure(EntityTypeBuilder<BackupPlan> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(p => p.Id);
        e.Property(p => p.Name).HasMaxLength(PlanValidation.MaxNameLength);
        e.Property(p => p.Task).HasMaxLength(Names.MaxTaskNameLength);
        e.Property(p => p.TimeZone).HasMaxLength(100);
        e.Property(p => p.Paths).AsJson();
        e.Property(p => p.Excludes).AsJson();
        e.Property(p => p.Schedule).AsJson();
        e.Property(p => p.Window).AsJson();
        e.Property(p => p.Retention).AsJson();
        e.Property(p => p.Prune).AsJson();
        // Two plans never share a task (one repository, one schedule).
        e.HasIndex(p => new { p.InstanceId, p.Task }).IsUnique().HasFilter(SpaceModel.Active);
    }
}

public sealed class PlanRevisionModel : IEntityTypeConfiguration<PlanRevision>
{
    public void Configure(EntityTypeBuilder<PlanRevision> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(r => r.InstanceId);
    }
}

public sealed class PlanRunModel : IEntityTypeConfiguration<PlanRun>
{
    public void Configure(EntityTypeBuilder<PlanRun> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(r => r.Id);
        e.Property(r => r.Kind).HasMaxLength(16);
        e.Property(r => r.Trigger).HasMaxLength(16);
        e.Property(r => r.Phase).HasMaxLength(16);
        e.Property(r => r.SnapshotId).HasMaxLength(64);
        e.Property(r => r.Warnings).AsJson();
        e.Property(r => r.Version).IsConcurrencyToken();
        e.HasIndex(r => new { r.PlanId, r.StartedAt });
        e.Ignore(r => r.HasEnded);
    }
}
