using Cairn.Space.CloudRestore;

namespace Cairn.Space.Tests.Cloud;

/// <summary>Catalogs written as JSON text and loaded as Space loads its file, for the catalog's validation tests.</summary>
internal static class CatalogText
{
    /// <summary>One provider "mine" on <paramref name="driver"/> with one region and one box; <paramref name="section"/> is e.g. <c>"ssh": {...}</c>.</summary>
    public static string OneProvider(string driver, string section) => $$"""
        { "currency": "EUR", "providers": [ { "id": "mine", "name": "Mine", "driver": "{{driver}}", {{section}},
          "regions": [ { "id": "home", "name": "Home", "hardware": [ { "id": "box", "name": "Box", "vcpu": 1, "memoryGb": 1, "diskGb": 1,
            "monthlyPrice": 1, "includedStorageGb": 1, "includedTrafficGb": 1 } ] } ],
          "storageTiers": [ { "upToGb": null, "pricePerGbMonth": 0 } ], "bandwidthTiers": [ { "upToGb": null, "pricePerGb": 0 } ] } ] }
        """;

    public static CloudCatalog Load(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            return CloudCatalog.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
