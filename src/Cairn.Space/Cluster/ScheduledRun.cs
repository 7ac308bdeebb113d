using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Space.Cluster;

/// <summary>
/// One piece of periodic work for the whole cluster (usage samples, the reconcile scan, monthly bills, alert rules): when it is
/// next due, and which replica took the last interval. A replica runs the work only after moving
/// <see cref="DueAt"/> on with a conditional update, so each interval is taken once.
/// </summary>
public sealed class ScheduledRun
{
    public const int MaxNameLength = 100;

    private ScheduledRun()
    {
    }

    public ScheduledRun(string name, DateTimeOffset dueAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        DueAt = dueAt.ToUniversalTime();
    }

    public string Name { get; private set; } = "";
    public DateTimeOffset DueAt { get; private set; }
    public string? LastRunBy { get; private set; }
    public DateTimeOffset? LastRunAt { get; private set; }
}

public sealed class ScheduledRunModel : IEntityTypeConfiguration<ScheduledRun>
{
    public void Configure(EntityTypeBuilder<ScheduledRun> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(r => r.Name);
        e.Property(r => r.Name).HasMaxLength(ScheduledRun.MaxNameLength);
        e.Property(r => r.LastRunBy).HasMaxLength(ClusterSettings.MaxReplicaIdLength);

        // Made with the schema, due at once, so replicas starting together never race to insert them.
        e.HasData(
            new { Name = PeriodicSchedule.UsageSample, DueAt = DateTimeOffset.UnixEpoch },
            new { Name = PeriodicSchedule.Reconcile, DueAt = DateTimeOffset.UnixEpoch },
            new { Name = PeriodicSchedule.MonthlyBills, DueAt = DateTimeOffset.UnixEpoch },
            new { Name = PeriodicSchedule.Alerts, DueAt = DateTimeOffset.UnixEpoch });
    }
}
