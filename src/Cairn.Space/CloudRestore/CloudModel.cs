using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Space.CloudRestore;

/// <summary>How cloud instances and their charge lines are stored; applied by <c>SpaceDbContext</c>.</summary>
public sealed class CloudInstanceModel : IEntityTypeConfiguration<CloudInstance>
{
    public void Configure(EntityTypeBuilder<CloudInstance> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(c => c.Id);
        e.Property(c => c.Name).HasMaxLength(Names.MaxInstanceNameLength);

        // One holder per name; quoted identifiers keep the filter valid on SQLite and PostgreSQL.
        e.HasIndex(c => c.Name).IsUnique().HasFilter("\"ReleasedAt\" IS NULL");
        e.HasIndex(c => c.AccountId);
        e.HasIndex(c => c.State);
        e.Property(c => c.State).HasConversion<string>().HasMaxLength(20);
        e.Property(c => c.SnapshotId).HasMaxLength(64);
        e.Property(c => c.Provider).HasMaxLength(100);
        e.Property(c => c.Region).HasMaxLength(100);
        e.Property(c => c.Hardware).HasMaxLength(100);
        e.Property(c => c.Currency).HasMaxLength(3);
        e.Property(c => c.Reason).HasMaxLength(CloudInstance.MaxReasonLength);
        e.Property(c => c.Total).HasPrecision(18, 2);
        e.Property(c => c.PeriodAmount).HasPrecision(18, 2);
        e.Property(c => c.ClaimedBy).HasMaxLength(Cluster.ClusterSettings.MaxReplicaIdLength).IsConcurrencyToken();
    }
}

public sealed class ChargeLineModel : IEntityTypeConfiguration<ChargeLine>
{
    public void Configure(EntityTypeBuilder<ChargeLine> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(l => new { l.OrderId, l.Position });
        e.Property(l => l.Kind).HasConversion<string>().HasMaxLength(20);
        e.Property(l => l.Quantity).HasPrecision(18, 6);
        e.Property(l => l.Amount).HasPrecision(18, 2);
        e.Ignore(l => l.IsForThePeriod);
    }
}
