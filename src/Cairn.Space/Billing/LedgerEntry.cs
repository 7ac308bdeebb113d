using Cairn.Space.Backups;
namespace Cairn.Space.Billing;

/// <summary>
/// One movement of an account's balance: money in (top-up, refund) is positive, money out (charge, bill) negative.
/// Every entry names where it came from: the order (charges, refunds), the monthly bill, or who topped up.
/// </summary>
public sealed class LedgerEntry
{
    public const int MaxDescriptionLength = 300;
    public const int MaxReferenceLength = 200;
    public const int MaxReasonLength = 200;

    private LedgerEntry()
    {
    }

    private LedgerEntry(Guid accountId, DateTimeOffset at, LedgerEntryKind kind, decimal amount, string description,
        Guid? orderId, Guid? billId, string? reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(description);
        Id = Guid.NewGuid();
        AccountId = accountId;
        At = at.ToUniversalTime();
        Kind = kind;
        Amount = decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
        Description = description.Length > MaxDescriptionLength ? description[..MaxDescriptionLength] : description;
        OrderId = orderId;
        BillId = billId;
        Reference = reference is { Length: > MaxReferenceLength } ? reference[..MaxReferenceLength] : reference;
    }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }
    public DateTimeOffset At { get; private set; }
    public LedgerEntryKind Kind { get; private set; }

    /// <summary>Signed, in the account's currency: positive adds to the balance.</summary>
    public decimal Amount { get; private set; }

    public string Description { get; private set; } = "";

    /// <summary>The restore order (cloud instance) a charge or refund belongs to.</summary>
    public Guid? OrderId { get; private set; }

    /// <summary>The monthly bill a storage charge belongs to.</summary>
    public Guid? BillId { get; private set; }

    /// <summary>Who or what paid a top-up (the operator's email, a payment provider's reference).</summary>
    public string? Reference { get; private set; }

    /// <summary>A top-up; <paramref name="reason"/> (the operator's words, e.g. "bank transfer 2026-03-12") goes into the description.</summary>
    public static LedgerEntry TopUp(Guid accountId, DateTimeOffset at, decimal amount, string reference, string? reason = null)
    {
        RequirePositive(amount);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        if (reason is { Length: > MaxReasonLength })
        {
            throw new DomainRuleException($"a top-up's reason is at most {MaxReasonLength} characters");
        }

        var description = string.IsNullOrWhiteSpace(reason) ? "Top-up" : "Top-up: " + reason.Trim();
        return new LedgerEntry(accountId, at, LedgerEntryKind.TopUp, amount, description, null, null, reference);
    }

    public static LedgerEntry Charge(Guid accountId, DateTimeOffset at, decimal amount, string description, Guid orderId)
    {
        RequirePositive(amount, allowZero: true);
        return new LedgerEntry(accountId, at, LedgerEntryKind.Charge, -amount, description, orderId, null, null);
    }

    public static LedgerEntry Refund(Guid accountId, DateTimeOffset at, decimal amount, string description, Guid orderId)
    {
        RequirePositive(amount, allowZero: true);
        return new LedgerEntry(accountId, at, LedgerEntryKind.Refund, amount, description, orderId, null, null);
    }

    public static LedgerEntry Bill(Guid accountId, DateTimeOffset at, decimal amount, string description, Guid billId)
    {
        RequirePositive(amount);
        return new LedgerEntry(accountId, at, LedgerEntryKind.StorageBill, -amount, description, null, billId, null);
    }

    private static void RequirePositive(decimal amount, bool allowZero = false)
    {
        if (amount < 0 || (!allowZero && amount == 0) || decimal.Round(amount, 2) != amount)
        {
            throw new DomainRuleException("an amount is positive, in whole cents");
        }
    }
}

public enum LedgerEntryKind
{
    TopUp = 0,
    Charge = 1,
    Refund = 2,
    StorageBill = 3,
}
