using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Maintenance.Tag;

/// <summary>
/// Changes the tags of snapshots as restic does: a snapshot file is never edited in place; the changed snapshot is
/// written as a new file (a new ID) whose <c>original</c> names the first snapshot of the chain (kept when already
/// set), and only then is the old file removed. The caller holds the exclusive lock.
/// </summary>
public static class SnapshotTagger
{
    /// <summary>The new snapshot's ID, or null when the edit leaves the tags as they are (nothing is written).</summary>
    public static async Task<Id?> RetagAsync(ResticRepository repository, Id id, Snapshot snapshot, TagEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(edit);
        if (edit.Apply(snapshot.Tags) is not { } tags)
        {
            return null;
        }

        var changed = snapshot with { Tags = tags.Count == 0 ? null : tags, Original = snapshot.Original ?? id };
        var newId = await repository.SaveSnapshotAsync(changed, cancellationToken).ConfigureAwait(false);
        try
        {
            await repository.Files.DeleteAsync(ObjectKind.Snapshot, id, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
        }

        return newId;
    }
}
