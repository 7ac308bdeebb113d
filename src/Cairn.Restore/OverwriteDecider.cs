using Cairn.Platform;
using Cairn.Repository.Format;

namespace Cairn.Restore;

/// <summary>
/// Decides, before anything is written, what the restore does with each entry that already exists in the target,
/// by <see cref="RestoreOptions.Overwrite"/>. Reads only: a dry run asks the same questions as a restore.
/// </summary>
internal static class OverwriteDecider
{
    public static async Task DecideAsync(IRestoreSource source, RestorePlan plan, RawPath target, RestoreOptions options, CancellationToken cancellationToken)
    {
        // Only what stands below real folders is looked at: through a link planted in the target, a path would
        // name something elsewhere (and the restore itself refuses such a target once it gets there).
        var realFolders = new HashSet<RawPath>();
        if (TryLStat(target) is { Kind: FileKind.Directory })
        {
            realFolders.Add(target);
        }

        var contentChecks = new List<PlannedEntry>();
        foreach (var entry in plan.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!realFolders.Contains(entry.Path.Parent) || TryLStat(entry.Path) is not { } existing)
            {
                entry.Decision = EntryDecision.Create;
                continue;
            }

            var node = entry.Node;
            if (node.Type == NodeType.Dir)
            {
                // A folder is never replaced: the restore fills what is there (or refuses what is not a folder).
                if (existing.Kind == FileKind.Directory)
                {
                    realFolders.Add(entry.Path);
                }

                entry.Decision = EntryDecision.Replace;
                continue;
            }

            entry.Decision = options.Overwrite switch
            {
                OverwriteMode.Never => EntryDecision.Keep,
                OverwriteMode.IfNewer when ToTimestamp(node.ModTime).CompareTo(existing.ModifyTime) <= 0 => EntryDecision.Keep,
                OverwriteMode.IfChanged when IsSameFileBySizeAndTime(node, existing) => EntryDecision.SetMetadataOnly,
                _ => EntryDecision.Replace,
            };

            if (entry.Decision == EntryDecision.Replace && MayHoldSameContent(node, existing))
            {
                contentChecks.Add(entry);
            }
        }

        // Hashing what is there is the slow part; files are independent, so several are read at once.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(contentChecks, parallel, async (entry, ct) =>
        {
            try
            {
                if (await FileContentCheck.FirstDifferenceAsync(source, entry.Path, entry.Node, ct).ConfigureAwait(false) is null)
                {
                    entry.Decision = EntryDecision.SetMetadataOnly;
                }
            }
            catch (PosixException)
            {
                // Unreadable (or gone): it is replaced, as anything else that does not match.
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Only a regular file with one link, of the snapshot's size, can be left in place: metadata set on a file linked
    /// elsewhere would change that other name too, possibly outside the target. Hard-linked snapshot files are
    /// always written anew, so their links come back as in the snapshot.
    /// </summary>
    private static bool MayHoldSameContent(Node node, FileStatus existing) =>
        node.Type == NodeType.File && node.Links <= 1 && existing.Kind == FileKind.File && existing.Links == 1 && (ulong)existing.Size == node.Size;

    private static bool IsSameFileBySizeAndTime(Node node, FileStatus existing) =>
        MayHoldSameContent(node, existing) && ToTimestamp(node.ModTime) == existing.ModifyTime;

    private static FileStatus? TryLStat(RawPath path)
    {
        try
        {
            return PosixFileSystem.LStat(path);
        }
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            return null;
        }
    }

    private static Timestamp ToTimestamp(NodeTime t) => new(t.UnixSeconds, t.Nanoseconds);
}
