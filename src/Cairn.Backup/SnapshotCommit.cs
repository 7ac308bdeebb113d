using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Internal;

namespace Cairn.Backup;

/// <summary>The end of every backup: packs and index first, then the snapshot, unless none is to be saved.</summary>
internal static class SnapshotCommit
{
    /// <summary>
    /// Flushes the target, then saves the snapshot of <paramref name="tree"/>. Nothing is saved after a dry run, nor,
    /// with <see cref="BackupOptions.SkipIfUnchanged"/>, when the tree is the parent snapshot's.
    /// </summary>
    /// <param name="paths">The absolute backup paths as the snapshot records them.</param>
    /// <returns>The snapshot saved (null if none) and whether it was skipped as unchanged.</returns>
    public static async Task<(Id? Id, bool SkippedUnchanged)> SaveAsync(
        IBackupTarget target, BackupOptions options, Snapshot? parent, Id tree, IReadOnlyList<string> paths, DateTimeOffset started, CancellationToken cancellationToken)
    {
        await target.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (options.DryRun)
        {
            return (null, false);
        }

        if (options.SkipIfUnchanged && parent is not null && parent.Tree == tree)
        {
            return (null, true);
        }

        var snapshot = new Snapshot
        {
            Time = NodeTime.FromDateTimeOffset(options.SnapshotTime ?? started),
            Parent = options.Parent,
            Tree = tree,
            Paths = paths,
            Hostname = options.Hostname,
            Username = options.Username,
            Uid = ProcessIdentity.Uid,
            Gid = ProcessIdentity.Gid,
            Excludes = options.Excludes.Count > 0 ? options.Excludes : null,
            Tags = options.Tags.Count > 0 ? options.Tags : null,
            ProgramVersion = options.ProgramVersion,
        };
        return (await target.SaveSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false), false);
    }
}
