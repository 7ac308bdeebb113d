using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Space.Alerts;

/// <summary>How alerts are stored; applied by <c>SpaceDbContext</c>.</summary>
public sealed class AlertChannelModel : IEntityTypeConfiguration<AlertChannel>
{
    public void Configure(EntityTypeBuilder<AlertChannel> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(c => c.Id);
        e.Property(c => c.Kind).HasMaxLength(16);
        e.Property(c => c.Name).HasMaxLength(AlertChannel.MaxNameLength);
        e.Property(c => c.Target).HasMaxLength(AlertChannel.MaxTargetLength);
        e.Property(c => c.Flavor).HasMaxLength(16);
        e.Property(c => c.Secret).HasMaxLength(AlertChannel.MaxSecretLength);
        e.HasIndex(c => c.AccountId);
    }
}

public sealed class AlertIncidentModel : IEntityTypeConfiguration<AlertIncident>
{
    public void Configure(EntityTypeBuilder<AlertIncident> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(i => i.Id);
        e.Property(i => i.Rule).HasMaxLength(32);
        e.Property(i => i.OpenKey).HasMaxLength(AlertIncident.MaxKeyLength);
        e.Property(i => i.Instance).HasMaxLength(Names.MaxInstanceNameLength);
        e.Property(i => i.Plan).HasMaxLength(Plans.PlanValidation.MaxNameLength);
        e.Property(i => i.Message).HasMaxLength(AlertIncident.MaxMessageLength);
        e.Property(i => i.ResolvedMessage).HasMaxLength(AlertIncident.MaxMessageLength);
        // One open incident per rule and subject across every replica: the second insert fails.
        e.HasIndex(i => i.OpenKey).IsUnique().HasFilter("\"OpenKey\" IS NOT NULL");
        e.HasIndex(i => new { i.AccountId, i.OpenedAt });
    }
}

public sealed class AlertDeliveryModel : IEntityTypeConfiguration<AlertDelivery>
{
    public void Configure(EntityTypeBuilder<AlertDelivery> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(d => d.Id);
        e.Property(d => d.State).HasMaxLength(16);
        e.Property(d => d.ClaimedBy).HasMaxLength(Cluster.ClusterSettings.MaxReplicaIdLength);
        e.Property(d => d.LastError).HasMaxLength(AlertDelivery.MaxErrorLength);
        e.HasIndex(d => new { d.IncidentId, d.ChannelId, d.State }).IsUnique();
        e.HasIndex(d => new { d.SentAt, d.NextAttemptAt });
    }
}

public sealed class AlertPreferencesModel : IEntityTypeConfiguration<AlertPreferences>
{
    public void Configure(EntityTypeBuilder<AlertPreferences> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(p => p.AccountId);
    }
}

public sealed class PlanAlertGraceModel : IEntityTypeConfiguration<PlanAlertGrace>
{
    public void Configure(EntityTypeBuilder<PlanAlertGrace> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(p => p.PlanId);
        e.HasIndex(p => p.AccountId);
    }
}
