namespace Cairn.Space.CloudRestore;

/// <summary>Prices a quantity by walking rising tiers in order (the first GBs at the first tier's price, and so on).</summary>
public static class TieredPrice
{
    public static decimal Of(decimal quantity, IReadOnlyList<(decimal? UpTo, decimal Price)> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        var remaining = Math.Max(0, quantity);
        decimal lower = 0, total = 0;
        foreach (var (upTo, price) in tiers)
        {
            var inTier = upTo is { } bound ? Math.Min(remaining, bound - lower) : remaining;
            total += inTier * price;
            remaining -= inTier;
            if (remaining <= 0 || upTo is null)
            {
                break;
            }

            lower = upTo.Value;
        }

        return decimal.Round(total, 2, MidpointRounding.AwayFromZero);
    }

    public static void Validate(string what, IReadOnlyList<(decimal? UpTo, decimal Price)> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        if (tiers.Count == 0 || tiers[^1].UpTo is not null)
        {
            throw new InvalidOperationException($"{what}: the last price tier must have no upper bound");
        }

        decimal previous = 0;
        foreach (var (upTo, price) in tiers)
        {
            if (price < 0 || upTo is { } bound && bound <= previous)
            {
                throw new InvalidOperationException($"{what}: tiers must rise and prices cannot be negative");
            }

            previous = upTo ?? previous;
        }
    }
}
