using System.Text.Json;

namespace Cairn.Space.Usage;

/// <summary>
/// Storage prices per region, tiered by GB-months in a month (GB = 10^9 bytes). The embedded <c>pricesheet.json</c>
/// is the default; <c>Space:PriceSheetPath</c> names an operator's own file of the same shape.
/// </summary>
public sealed class PriceSheet
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    private readonly Dictionary<string, PriceRegion> _regions;

    public PriceSheet(string currency, string defaultRegion, IEnumerable<PriceRegion> regions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        ArgumentNullException.ThrowIfNull(regions);
        _regions = regions.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var region in _regions.Values)
        {
            Validate(region);
        }

        if (!_regions.ContainsKey(defaultRegion))
        {
            throw new InvalidOperationException($"the price sheet's default region '{defaultRegion}' is not one of its regions");
        }

        Currency = currency;
        DefaultRegion = defaultRegion;
    }

    public string Currency { get; }
    public string DefaultRegion { get; }
    public IEnumerable<string> Regions => _regions.Keys;
    public IEnumerable<PriceRegion> RegionDetails => _regions.Values;

    public bool HasRegion(string region) => _regions.ContainsKey(region);

    /// <summary>The charge for <paramref name="gbMonths"/> in a region, walking the tiers in order, rounded to cents.</summary>
    public decimal Price(string region, double gbMonths)
    {
        if (!_regions.TryGetValue(region, out var sheet))
        {
            throw new InvalidOperationException($"no price for region '{region}'");
        }

        var remaining = (decimal)Math.Max(0, gbMonths);
        decimal lower = 0, total = 0;
        foreach (var tier in sheet.Tiers)
        {
            var width = tier.UpToGbMonths is { } upTo ? upTo - lower : remaining;
            var inTier = Math.Min(remaining, width);
            total += inTier * tier.PricePerGbMonth;
            remaining -= inTier;
            if (remaining <= 0 || tier.UpToGbMonths is null)
            {
                break;
            }

            lower = tier.UpToGbMonths.Value;
        }

        return decimal.Round(total, 2, MidpointRounding.AwayFromZero);
    }

    public static PriceSheet Load(string? path)
    {
        using var stream = path is null
            ? typeof(PriceSheet).Assembly.GetManifestResourceStream("Cairn.Space.pricesheet.json")
              ?? throw new InvalidOperationException("the embedded price sheet is missing")
            : File.OpenRead(path);
        var file = JsonSerializer.Deserialize<PriceSheetFile>(stream, JsonOptions)
                   ?? throw new InvalidOperationException("the price sheet is empty");
        return new PriceSheet(file.Currency, file.DefaultRegion, file.Regions);
    }

    private static void Validate(PriceRegion region)
    {
        if (region.Tiers.Count == 0 || region.Tiers[^1].UpToGbMonths is not null)
        {
            throw new InvalidOperationException($"region '{region.Id}': the last price tier must have no upper bound");
        }

        decimal previous = 0;
        foreach (var tier in region.Tiers)
        {
            if (tier.PricePerGbMonth < 0 || tier.UpToGbMonths is { } upTo && upTo <= previous)
            {
                throw new InvalidOperationException($"region '{region.Id}': tiers must rise and prices cannot be negative");
            }

            previous = tier.UpToGbMonths ?? previous;
        }
    }

    private sealed record PriceSheetFile(string Currency, string DefaultRegion, List<PriceRegion> Regions);
}

/// <summary>A storage region and its price tiers.</summary>
public sealed record PriceRegion(string Id, string Name, IReadOnlyList<PriceTier> Tiers);

/// <summary>GB-months up to <see cref="UpToGbMonths"/> (null: no bound) cost <see cref="PricePerGbMonth"/> each.</summary>
public sealed record PriceTier(decimal? UpToGbMonths, decimal PricePerGbMonth);
