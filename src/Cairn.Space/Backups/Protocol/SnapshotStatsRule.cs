namespace Cairn.Space.Backups.Protocol;

/// <summary>
/// What a client may plausibly report about a snapshot. The numbers are the client's word: Space cannot decrypt a
/// snapshot, so it only refuses what cannot be true and never prices anything by them (restore quotes use the
/// task's stored bytes).
/// </summary>
public static class SnapshotStatsRule
{
    /// <summary>
    /// How much larger than its stored bytes a tree may be. Deduplication and compression shrink real trees a few
    /// times, rarely tens of times; a thousandfold leaves room for trees of copies and still refuses nonsense.
    /// </summary>
    public const long MaxExpansion = 1000;

    /// <summary>Stored bytes below this count as this much, so a small task can still report a small tree of empty files.</summary>
    public const long MinBasisBytes = 1 << 20;

    /// <summary>Why the report cannot be true, or null when it is plausible.</summary>
    public static string? Problem(long fileCount, long totalBytes, long taskStoredBytes)
    {
        if (fileCount < 0 || totalBytes < 0)
        {
            return "file count and size cannot be negative";
        }

        var bound = Math.Max(taskStoredBytes, MinBasisBytes) * MaxExpansion;
        if (totalBytes > bound || fileCount > bound)
        {
            return $"implausible: the task stores {taskStoredBytes} bytes, so its snapshots hold at most {bound} bytes and files";
        }

        return null;
    }
}
