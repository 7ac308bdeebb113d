using System.Text.Json;
using Cairn.Space.Billing;

namespace Cairn.Space.Usage;

/// <summary>
/// Storage prices per region, tiered by GB-months in a month (GB = 10^9 bytes). The embedded <c>pricesheet.json</c>
/// is the default; <c>Space:PriceSheetPath</c> names an operator's own file of the same shape.
/// </summary>
public sealed class PriceSheet
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    private readonly Dictionary<string, PriceRegion> _regions;
    private readonly Dictionary<string, TieredPrice> _prices;

    public PriceSheet(string currency, string defaultRegion, IEnumerable<PriceRegion> regions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        ArgumentNullException.ThrowIfNull(regions);
        _regions = regions.ToDictionary(r => r.Id, StringComparer.Ordinal);
        _prices = _regions.Values.ToDictionary(
            r => r.Id,
            r => new TieredPrice($"region '{r.Id}'", r.Tiers.Select(t => new TierPrice(t.UpToGbMonths, t.PricePerGbMonth))),
            StringComparer.Ordinal);

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
    public decimal Price(string region, decimal gbMonths)
        => _prices.TryGetValue(region, out var price)
            ? price.Of(gbMonths)
            : throw new InvalidOperationException($"no price for region '{region}'");

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

    private sealed record PriceSheetFile(string Currency, string DefaultRegion, List<PriceRegion> Regions);
}

/// <summary>A storage region and its price tiers.</summary>
public sealed record PriceRegion(string Id, string Name, IReadOnlyList<PriceTier> Tiers);

/// <summary>GB-months up to <see cref="UpToGbMonths"/> (null: no bound) cost <see cref="PricePerGbMonth"/> each.</summary>
public sealed record PriceTier(decimal? UpToGbMonths, decimal PricePerGbMonth);
