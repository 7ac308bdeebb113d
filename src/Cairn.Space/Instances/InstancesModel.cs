using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Space.Instances;

/// <summary>How instances are stored; applied by <c>SpaceDbContext</c>.</summary>
public sealed class InstanceModel : IEntityTypeConfiguration<Instance>
{
    public void Configure(EntityTypeBuilder<Instance> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(i => i.Id);
        e.Property(i => i.Name).HasMaxLength(Names.MaxInstanceNameLength);
        e.HasIndex(i => i.Name).IsUnique().HasFilter(SpaceModel.Active);
        e.HasIndex(i => i.AccountId);
        e.Ignore(i => i.IsActive);
    }
}

public sealed class InstanceCredentialModel : IEntityTypeConfiguration<InstanceCredential>
{
    public void Configure(EntityTypeBuilder<InstanceCredential> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(c => c.Id);
        e.HasIndex(c => c.Username).IsUnique();
        e.HasIndex(c => c.InstanceId);
        e.Ignore(c => c.IsRevoked);
    }
}
