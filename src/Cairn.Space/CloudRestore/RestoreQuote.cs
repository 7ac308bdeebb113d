using System.Globalization;
using Cairn.Space.Billing;

namespace Cairn.Space.CloudRestore;

/// <summary>What a restore order asks for, before it is priced.</summary>
public sealed record RestoreSpec(Guid BackupId, string? SnapshotId, string? Provider, string? Region, string? Hardware, string? InstanceName);

/// <summary>
/// A priced restore: the chosen snapshot with its time and size (from Space's records; Space cannot decrypt it), the
/// catalog choice, and the charge lines. The same lines become the order's, so what the wizard shows is what is charged.
/// </summary>
public sealed record RestoreQuote(
    Guid TaskId,
    Guid TaskInstanceId,
    string TaskName,
    string InstanceName,
    string SnapshotId,
    DateTimeOffset SnapshotTime,
    long SizeBytes,
    bool SizeFromTask,
    CatalogChoice Choice,
    string Currency,
    IReadOnlyList<QuoteLine> Lines)
{
    public decimal Total => Lines.Sum(l => l.Amount);
}

/// <summary>One charge of a quote; <see cref="IsForThePeriod"/> lines are refunded pro rata on return.</summary>
public sealed record QuoteLine(ChargeKind Kind, string Description, decimal Quantity, string Unit, decimal Amount)
{
    public bool IsForThePeriod => Kind is ChargeKind.Instance or ChargeKind.Storage;
}

/// <summary>The arithmetic of a restore's charges, free of the database so it can be checked by hand.</summary>
public static class RestorePricing
{
    public const decimal BytesPerGb = 1_000_000_000m;

    public static IReadOnlyList<QuoteLine> Lines(CatalogChoice choice, long sizeBytes, bool sizeFromTask)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var (provider, region, hw) = choice;
        var sizeGb = Math.Max(0, sizeBytes) / BytesPerGb;
        var extraStorage = Math.Max(0, sizeGb - hw.IncludedStorageGb);
        var extraTraffic = Math.Max(0, sizeGb - hw.IncludedTrafficGb);
        var basis = sizeFromTask ? "the task's stored bytes" : "the snapshot's size";
        return
        [
            new QuoteLine(ChargeKind.Instance,
                $"{hw.Name}: {hw.Vcpu} vCPU, {Number(hw.MemoryGb)} GB memory, {Number(hw.DiskGb)} GB disk, {provider.Name}, {region.Name}, one month",
                1, "month", decimal.Round(hw.MonthlyPrice, 2, MidpointRounding.AwayFromZero)),
            new QuoteLine(ChargeKind.Storage,
                $"Storage beyond the included {Number(hw.IncludedStorageGb)} GB, one month",
                Quantity(extraStorage), "GB-month",
                provider.StoragePrice().Of(extraStorage)),
            new QuoteLine(ChargeKind.Traffic,
                $"Restore traffic beyond the included {Number(hw.IncludedTrafficGb)} GB, estimated from {basis}",
                Quantity(extraTraffic), "GB",
                provider.BandwidthPrice().Of(extraTraffic)),
        ];
    }

    private static decimal Quantity(decimal gb) => decimal.Round(gb, 6, MidpointRounding.AwayFromZero);

    private static string Number(decimal value) => value.ToString("#,##0.###", CultureInfo.InvariantCulture); // "20,000 GB"
}
