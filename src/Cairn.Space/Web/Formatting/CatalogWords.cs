using Cairn.Space.CloudRestore;

namespace Cairn.Space.Web.Formatting;

/// <summary>The catalog's display names for a provider, region and hardware a person reads, never their IDs.</summary>
public static class CatalogWords
{
    /// <summary>"Northwind Cloud · Frankfurt · General 2"; an ID the catalog no longer has is shown as it is.</summary>
    public static string Machine(CloudCatalog catalog, string provider, string region, string hardware)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var p = catalog.Providers.FirstOrDefault(x => x.Id == provider);
        var r = p?.Regions.FirstOrDefault(x => x.Id == region);
        var h = r?.Hardware.FirstOrDefault(x => x.Id == hardware);
        return $"{p?.Name ?? provider} · {r?.Name ?? region} · {h?.Name ?? hardware}";
    }

    /// <summary>"2 vCPU, 4 GB memory, 80 GB disk".</summary>
    public static string Specs(HardwareConfig hardware)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{hardware.Vcpu} vCPU, {hardware.MemoryGb:0.#} GB memory, {hardware.DiskGb:0.#} GB disk");
    }
}
