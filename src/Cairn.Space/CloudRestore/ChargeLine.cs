namespace Cairn.Space.CloudRestore;

/// <summary>What an order's charge is made of, kept with the order so the ledger's charge can be traced line by line.</summary>
public sealed class ChargeLine
{
    private ChargeLine()
    {
    }

    public ChargeLine(Guid orderId, int position, ChargeKind kind, string description, decimal quantity, string unit, decimal amount)
    {
        ArgumentException.ThrowIfNullOrEmpty(description);
        if (amount < 0 || quantity < 0)
        {
            throw new DomainRuleException("a charge line cannot be negative");
        }

        OrderId = orderId;
        Position = position;
        Kind = kind;
        Description = description;
        Quantity = quantity;
        Unit = unit;
        Amount = decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
    }

    public Guid OrderId { get; private set; }
    public int Position { get; private set; }
    public ChargeKind Kind { get; private set; }
    public string Description { get; private set; } = "";
    public decimal Quantity { get; private set; }
    public string Unit { get; private set; } = "";
    public decimal Amount { get; private set; }

    /// <summary>Instance and storage are bought for the period, so their unused part is refunded on return; traffic is spent.</summary>
    public bool IsForThePeriod => Kind is ChargeKind.Instance or ChargeKind.Storage;
}

public enum ChargeKind
{
    Instance = 0,
    Storage = 1,
    Traffic = 2,
}
