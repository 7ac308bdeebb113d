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

/// <summary>What a prune found and did.</summary>
public sealed record PruneReport
{
    /// <summary>Blobs some snapshot still uses.</summary>
    public long UsedBlobs { get; init; }
    /// <summary>Bytes of the used blobs.</summary>
    public long UsedBytes { get; init; }
    /// <summary>Blobs no snapshot uses.</summary>
    public long UnusedBlobs { get; init; }
    /// <summary>Bytes of the unused blobs.</summary>
    public long UnusedBytes { get; init; }
    /// <summary>Packs left as they were.</summary>
    public int PacksKept { get; init; }
    /// <summary>Packs whose used blobs were copied into new packs before deletion.</summary>
    public int PacksRepacked { get; init; }
    /// <summary>Packs deleted.</summary>
    public int PacksRemoved { get; init; }
    /// <summary>Packs no index named that were deleted.</summary>
    public int UnreferencedPacksRemoved { get; init; }
    /// <summary>Bytes freed in the store.</summary>
    public long BytesFreed { get; init; }
    /// <summary>Bytes of unused blobs left in kept packs.</summary>
    public long UnusedBytesLeft { get; init; }
    /// <summary>Index files written.</summary>
    public int IndexFilesWritten { get; init; }
    /// <summary>Index files deleted.</summary>
    public int IndexFilesRemoved { get; init; }
    /// <summary>Whether this was a dry run that changed nothing.</summary>
    public bool DryRun { get; init; }
}
