using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Space.Billing;

/// <summary>How ledger entries are stored; applied by <c>SpaceDbContext</c>.</summary>
public sealed class LedgerEntryModel : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(l => l.Id);
        e.HasIndex(l => new { l.AccountId, l.At });
        e.Property(l => l.Kind).HasConversion<string>().HasMaxLength(20);
        e.Property(l => l.Amount).HasPrecision(18, 2);
        e.Property(l => l.Description).HasMaxLength(LedgerEntry.MaxDescriptionLength);
        e.Property(l => l.Reference).HasMaxLength(LedgerEntry.MaxReferenceLength);

        // An order is charged once and refunded at most once, whatever retries or restarts happen.
        e.HasIndex(l => new { l.OrderId, l.Kind }).IsUnique().HasFilter("\"OrderId\" IS NOT NULL");
        e.HasIndex(l => l.BillId).IsUnique().HasFilter("\"BillId\" IS NOT NULL");
    }
}

public sealed class MonthlyBillModel : IEntityTypeConfiguration<MonthlyBill>
{
    public void Configure(EntityTypeBuilder<MonthlyBill> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(b => b.Id);
        e.HasIndex(b => new { b.AccountId, b.Month }).IsUnique();
        e.Property(b => b.Month).HasMaxLength(7);
        e.Property(b => b.StorageCharge).HasPrecision(18, 2);
        e.Property(b => b.CarriedIn).HasPrecision(18, 2);
        e.Property(b => b.Amount).HasPrecision(18, 2);
        e.Ignore(b => b.CarriedOut);
    }
}
