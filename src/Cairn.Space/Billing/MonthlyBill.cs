using Cairn.Space.Backups;
namespace Cairn.Space.Billing;

/// <summary>
/// An account's storage for one ended month, priced from the metering. A bill under <see cref="MinimumCharge"/> is
/// not charged: its amount is carried into the next month's bill.
/// </summary>
public sealed class MonthlyBill
{
    public const decimal MinimumCharge = 1.00m;

    private MonthlyBill()
    {
    }

    public MonthlyBill(Guid accountId, string month, decimal storageCharge, decimal carriedIn, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(month);
        if (storageCharge < 0 || carriedIn < 0)
        {
            throw new DomainRuleException("a bill cannot be negative");
        }

        Id = Guid.NewGuid();
        AccountId = accountId;
        Month = month;
        StorageCharge = decimal.Round(storageCharge, 2, MidpointRounding.AwayFromZero);
        CarriedIn = carriedIn;
        Amount = StorageCharge + CarriedIn;
        Charged = Amount >= MinimumCharge;
        CreatedAt = createdAt.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }

    /// <summary><c>yyyy-MM</c>, UTC.</summary>
    public string Month { get; private set; } = "";

    /// <summary>This month's metered storage, priced.</summary>
    public decimal StorageCharge { get; private set; }

    /// <summary>The previous bill's amount when it was under the minimum.</summary>
    public decimal CarriedIn { get; private set; }

    public decimal Amount { get; private set; }

    /// <summary>True when the amount went to the ledger; false when it is carried into the next bill.</summary>
    public bool Charged { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>What the next bill carries in from this one.</summary>
    public decimal CarriedOut => Charged ? 0 : Amount;
}
