using Cairn.Repository;
using Cairn.Storage;

namespace Cairn.Maintenance.Forget;

/// <summary>
/// Deletes snapshot files. Only the snapshot documents go; the data they referenced stays until prune, which
/// never deletes what an index still names while another snapshot needs it (docs/format.md, "Ordering").
/// </summary>
public static class SnapshotRemover
{
    /// <summary>Removes each snapshot; one already gone counts as removed. The caller holds an exclusive lock.</summary>
    public static async Task RemoveAsync(ResticRepository repository, IEnumerable<Id> snapshots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshots);
        foreach (var id in snapshots)
        {
            try
            {
                await repository.Files.DeleteAsync(ObjectKind.Snapshot, id, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectNotFoundException)
            {
            }
        }
    }
}
