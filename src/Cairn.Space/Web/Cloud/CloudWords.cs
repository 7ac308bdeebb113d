using Cairn.Space.CloudRestore;

namespace Cairn.Space.Web.Cloud;

/// <summary>A cloud instance as a person reads it: its state in plain words and the catalog's display names, not ids.</summary>
public static class CloudWords
{
    public const string LocalDriver = "local";

    public static string State(CloudInstanceState state) => state switch
    {
        CloudInstanceState.Unpaid => "Unpaid: waiting for payment",
        CloudInstanceState.Pending => "Paid, waiting to install",
        CloudInstanceState.Installing => "Installing",
        CloudInstanceState.Restoring => "Restoring the snapshot",
        CloudInstanceState.Running => "Running",
        CloudInstanceState.RestoreError => "Needs the backup password",
        CloudInstanceState.Errored => "Failed",
        CloudInstanceState.Destroying => "Being destroyed",
        CloudInstanceState.Destroyed => "Destroyed",
        CloudInstanceState.Canceled => "Canceled",
        _ => state.ToString(),
    };

    /// <summary>Whether the instance moves on by itself (a page showing it refreshes).</summary>
    public static bool InProgress(CloudInstanceState state) => state.IsWorking();

    public static string Provider(CloudCatalog catalog, CloudInstance instance)
        => Find(catalog, instance).Provider?.Name ?? instance.Provider;

    public static string Region(CloudCatalog catalog, CloudInstance instance)
        => Find(catalog, instance).Region?.Name ?? instance.Region;

    public static string Hardware(CloudCatalog catalog, CloudInstance instance)
        => Find(catalog, instance).Hardware?.Name ?? instance.Hardware;

    /// <summary>Whether the instance's provider restores into a folder of this Space host (the local driver) rather than onto another machine.</summary>
    public static bool OnThisHost(CloudCatalog catalog, CloudInstance instance)
        => string.Equals(Find(catalog, instance).Provider?.Driver ?? LocalDriver, LocalDriver, StringComparison.Ordinal);

    /// <summary>Where the restored tree lives: a folder of this Space host, or the host and folder another driver reported.</summary>
    public static string Place(CloudCatalog catalog, CloudInstance instance)
        => instance.Disk is not { } disk ? "not made yet"
            : OnThisHost(catalog, instance) ? $"folder {disk} on this Space host"
            : disk;

    private static (CatalogProvider? Provider, CatalogRegion? Region, HardwareConfig? Hardware) Find(CloudCatalog catalog, CloudInstance instance)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(instance);
        var provider = catalog.Providers.FirstOrDefault(p => p.Id == instance.Provider);
        var region = provider?.Regions.FirstOrDefault(r => r.Id == instance.Region);
        return (provider, region, region?.Hardware.FirstOrDefault(h => h.Id == instance.Hardware));
    }
}
