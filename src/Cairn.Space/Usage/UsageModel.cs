using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Space.Usage;

/// <summary>How usage samples are stored; applied by <c>SpaceDbContext</c>.</summary>
public sealed class UsageSampleModel : IEntityTypeConfiguration<UsageSample>
{
    public void Configure(EntityTypeBuilder<UsageSample> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(s => s.Id);
        e.HasIndex(s => new { s.TaskId, s.At });
    }
}

public sealed class StorageMeterModel : IEntityTypeConfiguration<StorageMeter>
{
    public void Configure(EntityTypeBuilder<StorageMeter> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(m => new { m.TaskId, m.Month });
        e.HasIndex(m => new { m.InstanceId, m.Month });
        e.Property(m => m.Month).HasMaxLength(7);
        e.Property(m => m.OverGbHours).HasPrecision(28, MeteringMath.GbHourDecimals);
    }
}
