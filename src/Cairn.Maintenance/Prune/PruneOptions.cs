namespace Cairn.Maintenance.Prune;

/// <summary>How much unused space prune may leave behind, and how much it may rewrite.</summary>
public sealed record PruneOptions
{
    /// <summary>Unused bytes tolerated in kept packs, as a percentage of the used bytes (restic's default 5%).</summary>
    public double MaxUnusedPercent { get; init; } = 5;

    /// <summary>Upper bound on bytes of packs to rewrite; null for no limit.</summary>
    public long? MaxRepackBytes { get; init; }

    /// <summary>Only report what would be done.</summary>
    public bool DryRun { get; init; }
}

public sealed record PruneReport
{
    public long UsedBlobs { get; init; }
    public long UsedBytes { get; init; }
    public long UnusedBlobs { get; init; }
    public long UnusedBytes { get; init; }
    public int PacksKept { get; init; }
    public int PacksRepacked { get; init; }
    public int PacksRemoved { get; init; }
    public int UnreferencedPacksRemoved { get; init; }
    public long BytesFreed { get; init; }
    public long UnusedBytesLeft { get; init; }
    public int IndexFilesWritten { get; init; }
    public int IndexFilesRemoved { get; init; }
    public bool DryRun { get; init; }
}
