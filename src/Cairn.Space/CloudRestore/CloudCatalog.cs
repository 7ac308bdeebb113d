using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Space.Billing;
using Cairn.Space.CloudRestore.CloudApi;
using Cairn.Space.CloudRestore.Ssh;

namespace Cairn.Space.CloudRestore;

/// <summary>
/// Where a snapshot can be restored to: cloud providers, their regions, the hardware each region offers, what each
/// instance includes, and tiered prices for storage and traffic beyond that. The embedded <c>catalog.json</c> is the
/// default; <c>Space:CatalogPath</c> (<c>CAIRN_SPACE_CATALOG</c>) names an operator's own file of the same shape.
/// </summary>
public sealed class CloudCatalog
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    public CloudCatalog(string currency, IReadOnlyList<CatalogProvider> providers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        ArgumentNullException.ThrowIfNull(providers);
        if (providers.Count == 0)
        {
            throw new InvalidOperationException("the catalog names no provider");
        }

        foreach (var provider in providers)
        {
            Validate(provider);
        }

        if (providers.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count() != providers.Count)
        {
            throw new InvalidOperationException("the catalog names a provider twice");
        }

        Currency = currency;
        Providers = providers;
    }

    public string Currency { get; }
    public IReadOnlyList<CatalogProvider> Providers { get; }

    /// <summary>The provider, region and hardware of an order; <see cref="DomainRuleException"/> names what is unknown.</summary>
    public CatalogChoice Resolve(string? provider, string? region, string? hardware)
    {
        var p = Providers.FirstOrDefault(x => x.Id == provider)
                ?? throw new DomainRuleException($"unknown provider '{provider}'; known: {string.Join(", ", Providers.Select(x => x.Id))}");
        var r = p.Regions.FirstOrDefault(x => x.Id == region)
                ?? throw new DomainRuleException($"provider '{p.Id}' has no region '{region}'; known: {string.Join(", ", p.Regions.Select(x => x.Id))}");
        var h = r.Hardware.FirstOrDefault(x => x.Id == hardware)
                ?? throw new DomainRuleException($"region '{r.Id}' of '{p.Id}' offers no hardware '{hardware}'; known: {string.Join(", ", r.Hardware.Select(x => x.Id))}");
        return new CatalogChoice(p, r, h);
    }

    public static CloudCatalog Load(string? path)
    {
        using var stream = path is null
            ? typeof(CloudCatalog).Assembly.GetManifestResourceStream("Cairn.Space.catalog.json")
              ?? throw new InvalidOperationException("the embedded catalog is missing")
            : File.OpenRead(path);
        var file = JsonSerializer.Deserialize<CatalogFile>(stream, JsonOptions)
                   ?? throw new InvalidOperationException("the catalog is empty");
        return new CloudCatalog(file.Currency, file.Providers);
    }

    /// <summary>The catalog named by configuration, else the embedded one.</summary>
    public static CloudCatalog Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = new[] { configuration["Space:CatalogPath"], configuration["CAIRN_SPACE_CATALOG"] }
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        return Load(path);
    }

    private static void Validate(CatalogProvider provider)
    {
        if (string.IsNullOrWhiteSpace(provider.Id) || string.IsNullOrWhiteSpace(provider.Driver) || provider.Regions.Count == 0)
        {
            throw new InvalidOperationException($"provider '{provider.Id}': an id, a driver and at least one region are needed");
        }

        if (provider.Driver == SshCloudDriver.DriverName)
        {
            var problems = provider.Ssh is null ? ["an \"ssh\" section (host, port, user, targetFolder, hostKey) is needed"] : provider.Ssh.Problems();
            if (problems.Count > 0)
            {
                throw new InvalidOperationException($"provider '{provider.Id}' (driver ssh): {string.Join("; ", problems)}");
            }
        }
        else if (provider.Ssh is not null)
        {
            throw new InvalidOperationException($"provider '{provider.Id}': an \"ssh\" section is for driver \"ssh\" only, not \"{provider.Driver}\"");
        }

        if (provider.Driver == CloudApiDriver.DriverName)
        {
            var hardware = provider.Regions.SelectMany(r => r.Hardware).Select(h => h.Id).Distinct(StringComparer.Ordinal);
            var problems = provider.CloudApi is null
                ? ["a \"cloudApi\" section (baseUrl, image, user, targetFolder, serverTypes, tokenVariable or tokenSetting) is needed"]
                : provider.CloudApi.Problems(hardware);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException($"provider '{provider.Id}' (driver cloud-api): {string.Join("; ", problems)}");
            }
        }
        else if (provider.CloudApi is not null)
        {
            throw new InvalidOperationException($"provider '{provider.Id}': a \"cloudApi\" section is for driver \"cloud-api\" only, not \"{provider.Driver}\"");
        }

        foreach (var region in provider.Regions)
        {
            if (region.Hardware.Count == 0)
            {
                throw new InvalidOperationException($"provider '{provider.Id}', region '{region.Id}': no hardware");
            }

            foreach (var h in region.Hardware)
            {
                if (h.Vcpu <= 0 || h.MemoryGb <= 0 || h.DiskGb <= 0 || h.MonthlyPrice < 0 || h.IncludedStorageGb < 0 || h.IncludedTrafficGb < 0)
                {
                    throw new InvalidOperationException($"provider '{provider.Id}', hardware '{h.Id}': sizes must be positive and prices not negative");
                }
            }
        }

        _ = provider.StoragePrice(); // each throws on tiers that do not rise, a negative price or a bounded last tier
        _ = provider.BandwidthPrice();
    }

    private sealed record CatalogFile(string Currency, List<CatalogProvider> Providers);
}

/// <summary>
/// A cloud provider: its driver (see <see cref="ICloudDriver"/>), regions, and prices beyond what instances include;
/// <see cref="Ssh"/> is the server of an <c>ssh</c> provider, <see cref="CloudApi"/> the API of a <c>cloud-api</c>
/// provider (both the operator's business, so the public catalog leaves them out).
/// </summary>
public sealed record CatalogProvider(
    string Id,
    string Name,
    string Driver,
    IReadOnlyList<CatalogRegion> Regions,
    IReadOnlyList<StorageTier> StorageTiers,
    IReadOnlyList<BandwidthTier> BandwidthTiers,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SshTarget? Ssh = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CloudApiProvider? CloudApi = null)
{
    /// <summary>Storage beyond what the hardware includes, per GB-month.</summary>
    public TieredPrice StoragePrice() => new(Id + " storage", StorageTiers.Select(t => new TierPrice(t.UpToGb, t.PricePerGbMonth)));

    /// <summary>Traffic beyond what the hardware includes, per GB.</summary>
    public TieredPrice BandwidthPrice() => new(Id + " bandwidth", BandwidthTiers.Select(t => new TierPrice(t.UpToGb, t.PricePerGb)));
}

public sealed record CatalogRegion(string Id, string Name, IReadOnlyList<HardwareConfig> Hardware);

/// <summary>A machine size in a region, its monthly price and what it includes each month.</summary>
public sealed record HardwareConfig(
    string Id,
    string Name,
    int Vcpu,
    decimal MemoryGb,
    decimal DiskGb,
    decimal MonthlyPrice,
    decimal IncludedStorageGb,
    decimal IncludedTrafficGb);

/// <summary>Storage beyond the included amount: GB up to <see cref="UpToGb"/> (null: no bound) at this price per GB-month.</summary>
public sealed record StorageTier(decimal? UpToGb, decimal PricePerGbMonth);

/// <summary>Traffic beyond the included amount: GB up to <see cref="UpToGb"/> (null: no bound) at this price per GB.</summary>
public sealed record BandwidthTier(decimal? UpToGb, decimal PricePerGb);

/// <summary>One provider, region and hardware, as an order names them.</summary>
public sealed record CatalogChoice(CatalogProvider Provider, CatalogRegion Region, HardwareConfig Hardware);
