namespace Cairn.Space.Billing;

/// <summary>One tier of a <see cref="TieredPrice"/>: the units up to <see cref="UpTo"/> (null: no bound) cost <see cref="UnitPrice"/> each.</summary>
public readonly record struct TierPrice(decimal? UpTo, decimal UnitPrice);

/// <summary>
/// The one tiered-price calculator of Space: storage above the free allowance (per GB-month) and a cloud restore's
/// storage and traffic (per GB-month, per GB). A quantity is priced by walking rising tiers in order: the units up to
/// the first bound at the first price, the next ones at the second, and so on. All in <c>decimal</c>, so a charge is
/// the same figure on every machine and every database.
/// </summary>
public sealed class TieredPrice
{
    private readonly TierPrice[] _tiers;

    /// <summary>Checks the tiers once, here, so a bad price file fails at start rather than at the first charge.</summary>
    /// <param name="what">Names the tiers in the error, e.g. the region or provider they come from.</param>
    /// <param name="tiers">Rising bounds, the last one unbounded; no negative price.</param>
    public TieredPrice(string what, IEnumerable<TierPrice> tiers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        ArgumentNullException.ThrowIfNull(tiers);
        _tiers = [.. tiers];
        if (_tiers.Length == 0 || _tiers[^1].UpTo is not null)
        {
            throw new InvalidOperationException($"{what}: the last price tier must have no upper bound");
        }

        decimal previous = 0;
        foreach (var (upTo, price) in _tiers)
        {
            if (price < 0 || upTo is { } bound && bound <= previous)
            {
                throw new InvalidOperationException($"{what}: tiers must rise and prices cannot be negative");
            }

            previous = upTo ?? previous;
        }
    }

    public IReadOnlyList<TierPrice> Tiers => _tiers;

    /// <summary>The charge for <paramref name="quantity"/> units (below zero counts as none), rounded to cents, halves away from zero.</summary>
    public decimal Of(decimal quantity)
    {
        var remaining = Math.Max(0, quantity);
        decimal lower = 0, total = 0;
        foreach (var (upTo, price) in _tiers)
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
}
