using Cairn.Platform;
using Cairn.Repository.Format;

namespace Cairn.Restore;

/// <summary>The steps around the writing: a dry run, --delete, --verify, and what is reported at the end.</summary>
public sealed partial class Restorer
{
    /// <summary>What a restore would do, reported as if done; nothing on the disk is created, changed or removed.</summary>
    private RestoreSummary DryRun(RestorePlan plan, RestoreOptions options)
    {
        var notCreated = new HashSet<PlannedEntry>(
            plan.Entries.Where(e => e.Node.Type == NodeType.Socket
                || (e.Node.Type is NodeType.Fifo or NodeType.Dev or NodeType.CharDev && !options.Safety.CreateSpecialFiles)),
            ReferenceEqualityComparer.Instance);
        var deleted = options.DeleteExtra ? ExtraEntries.Find(plan).Select(e => e.SnapshotPath).ToList() : [];
        var written = Written(plan, notCreated).ToList();
        return Report(plan, notCreated, deleted) with
        {
            Files = written.Count(e => e.Node.Type == NodeType.File),
            Directories = written.Count(e => e.Node.Type == NodeType.Dir),
            Links = written.Count(e => e.Node.Type == NodeType.Symlink),
            Skipped = notCreated.Count,
        };
    }

    /// <summary>How many files the restore writes, and how many bytes they hold.</summary>
    private static (long Files, long Bytes) ToWrite(RestorePlan plan)
    {
        var files = Written(plan, new HashSet<PlannedEntry>()).Where(e => e.Node.Type == NodeType.File).ToList();
        return (files.Count, files.Sum(e => (long)e.Node.Size));
    }

    /// <summary>The entries the restore creates or replaces (not those it keeps, and not those it could not make).</summary>
    private static IEnumerable<PlannedEntry> Written(RestorePlan plan, IReadOnlySet<PlannedEntry> notCreated) =>
        plan.Entries.Where(e => e.Decision is EntryDecision.Create or EntryDecision.Replace && !notCreated.Contains(e));

    /// <summary>Removes what the target holds that the snapshot does not; returns the removed entries' snapshot paths.</summary>
    private static List<string> DeleteExtra(RestorePlan plan, Action<RawPath, string> warn)
    {
        var deleted = new List<string>();
        foreach (var (path, snapshotPath) in ExtraEntries.Find(plan))
        {
            try
            {
                ExtraEntries.Remove(path);
                deleted.Add(snapshotPath);
            }
            catch (PosixException e)
            {
                warn(path, e.Message);
            }
        }

        return deleted;
    }

    /// <summary>Reads every written file back and hashes its chunks; returns how many did not match the snapshot.</summary>
    private async Task<long> VerifyAsync(RestorePlan plan, IReadOnlySet<PlannedEntry> notCreated, RestoreOptions options, Action<RawPath, string> warn, CancellationToken cancellationToken)
    {
        options.BeforeVerify?.Invoke();
        var failures = 0L;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Written(plan, notCreated).Where(e => e.Node.Type == NodeType.File), parallel, async (entry, ct) =>
        {
            string? difference;
            try
            {
                difference = await FileContentCheck.FirstDifferenceAsync(source, entry.Path, entry.Node, ct).ConfigureAwait(false);
            }
            catch (PosixException e)
            {
                difference = e.Message;
            }

            if (difference is not null)
            {
                Interlocked.Increment(ref failures);
                warn(entry.Path, "verification failed: " + difference);
            }
        }).ConfigureAwait(false);
        return failures;
    }

    /// <summary>Reports each entry's outcome in plan order, then the removed ones, and counts them.</summary>
    private RestoreSummary Report(RestorePlan plan, IReadOnlySet<PlannedEntry> notCreated, List<string> deleted)
    {
        long restored = 0, bytes = 0, kept = 0, keptBytes = 0;
        foreach (var entry in plan.Entries)
        {
            var size = entry.Node.Type == NodeType.File ? (long)entry.Node.Size : 0;
            RestoreAction action;
            switch (entry.Decision)
            {
                case EntryDecision.Keep or EntryDecision.SetMetadataOnly:
                    action = RestoreAction.Unchanged;
                    kept++;
                    keptBytes += size;
                    break;
                case var _ when notCreated.Contains(entry):
                    continue;
                case EntryDecision.Replace when entry.Node.Type == NodeType.File:
                    action = RestoreAction.Updated;
                    restored++;
                    bytes += size;
                    break;
                default:
                    action = RestoreAction.Restored;
                    restored++;
                    bytes += size;
                    break;
            }

            _progress.Completed(action, entry.SnapshotPath, entry.Node.Type == NodeType.File ? size : null);
        }

        foreach (var path in deleted)
        {
            _progress.Completed(RestoreAction.Deleted, path, null);
        }

        return new RestoreSummary(0, 0, 0, bytes, 0, 0, Restored: restored, Kept: kept, KeptBytes: keptBytes, Deleted: deleted.Count);
    }
}
