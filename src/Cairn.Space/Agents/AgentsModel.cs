using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Space.Agents;

/// <summary>How agents, their enrollment codes and their commands are stored; applied by <c>SpaceDbContext</c>.</summary>
public sealed class AgentModel : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(a => a.Id);
        e.Property(a => a.Hostname).HasMaxLength(AgentLimits.MaxHostnameLength);
        e.Property(a => a.Version).HasMaxLength(AgentLimits.MaxVersionLength);
        e.Property(a => a.TokenHash).HasMaxLength(64);
        e.HasIndex(a => a.InstanceId);
    }
}

public sealed class EnrollmentCodeModel : IEntityTypeConfiguration<EnrollmentCode>
{
    public void Configure(EntityTypeBuilder<EnrollmentCode> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(c => c.Id);
        e.Property(c => c.CodeHash).HasMaxLength(64);
        e.HasIndex(c => c.CodeHash).IsUnique();
    }
}

public sealed class AgentCommandModel : IEntityTypeConfiguration<AgentCommand>
{
    public void Configure(EntityTypeBuilder<AgentCommand> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(c => c.Id);
        e.Property(c => c.Kind).HasMaxLength(16);
        e.HasIndex(c => new { c.InstanceId, c.AcknowledgedAt });
    }
}
