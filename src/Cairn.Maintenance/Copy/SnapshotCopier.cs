using Cairn.Maintenance.Forget;
using Cairn.Maintenance.Inspection;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Copy;

/// <summary>
/// Copies snapshots from one open repository into another (restic's <c>copy</c>). Both are locked by the caller
/// (non-exclusively) and have their index loaded. A snapshot already copied is skipped (<see cref="CopiedSnapshots"/>);
/// for the others the missing blobs are copied, the destination's packs and index are flushed, and only then is the
/// snapshot written (docs/format.md, "Ordering"), without <c>parent</c> (it names a snapshot of the source) and with
/// <c>original</c> set to the source snapshot's persistent ID. Nothing in the source is written.
/// </summary>
public sealed class SnapshotCopier(ResticRepository source, ResticRepository destination, ICopyProgress? progress = null)
{
    /// <summary>Copies <paramref name="snapshots"/> in order; returns how many were copied (the rest were there already).</summary>
    public async Task<int> CopyAsync(IReadOnlyList<(Id Id, Snapshot Snapshot)> snapshots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var existing = await SnapshotFinder.ListAsync(destination, (id, e) => progress?.UnreadableDestinationSnapshot(id, e), cancellationToken).ConfigureAwait(false);
        var copies = new CopiedSnapshots(existing);
        var blobs = new BlobCopier(source, destination);
        var copied = 0;
        foreach (var (id, snapshot) in snapshots)
        {
            progress?.SnapshotStarting(id, snapshot);
            if (copies.FindCopy(id, snapshot) is { } copy)
            {
                progress?.AlreadyCopied(id, copy);
                continue;
            }

            progress?.CopyStarted(id);
            var added = await blobs.CopyAsync(snapshot.Tree, progress, cancellationToken).ConfigureAwait(false);
            await destination.Blobs.FlushAsync(cancellationToken).ConfigureAwait(false);
            var copySnapshot = snapshot with { Parent = null, Original = CopiedSnapshots.PersistentId(id, snapshot) };
            var newId = await destination.SaveSnapshotAsync(copySnapshot, cancellationToken).ConfigureAwait(false);
            copies.Add(newId, copySnapshot);
            copied++;
            progress?.SnapshotSaved(id, newId, added);
        }

        return copied;
    }
}
