using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;
using Cairn.Storage;

namespace Cairn.Maintenance.Repair;

/// <summary>
/// Rewrites snapshots that reference missing data, dropping only what is really lost: a missing data blob is cut
/// out of its file (the file keeps its intact chunks), a missing or unreadable tree becomes an empty folder.
/// New trees and snapshots are written first; with <c>forget</c> the damaged originals are deleted afterwards.
/// </summary>
public sealed class SnapshotRepairer(ResticRepository repository, Action<string>? report = null)
{
    private readonly Dictionary<Id, Id?> _repaired = [];
    private Id? _emptyTree;

    /// <summary>Rewrites snapshots that reference missing data (nothing written on a dry run); with <paramref name="forget"/> deletes the damaged originals.</summary>
    public async Task<(int Repaired, int Unchanged, int Removed)> RunAsync(bool forget, bool dryRun, CancellationToken cancellationToken = default)
    {
        int repaired = 0, unchanged = 0, removed = 0;
        var snapshots = await SnapshotFinder.ListAsync(repository, cancellationToken).ConfigureAwait(false);
        var replacements = new List<(Id Old, Snapshot New)>();
        foreach (var (id, snapshot) in snapshots)
        {
            var newRoot = await RepairTreeAsync(snapshot.Tree, "/", cancellationToken).ConfigureAwait(false);
            if (newRoot == snapshot.Tree)
            {
                unchanged++;
                continue;
            }

            if (newRoot is null)
            {
                report?.Invoke($"snapshot {id.Short}: its root tree is lost; nothing can be kept{(forget ? ", removing it" : "")}");
                if (forget && !dryRun)
                {
                    await repository.Files.DeleteAsync(ObjectKind.Snapshot, id, cancellationToken).ConfigureAwait(false);
                }

                removed++;
                continue;
            }

            replacements.Add((id, snapshot with { Tree = newRoot.Value, Original = snapshot.Original ?? id }));
        }

        if (dryRun)
        {
            return (replacements.Count, unchanged, removed);
        }

        await repository.Blobs.FlushAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (old, snapshot) in replacements)
        {
            var newId = await repository.SaveSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
            report?.Invoke($"snapshot {old.Short} repaired as {newId.Short}");
            if (forget)
            {
                await repository.Files.DeleteAsync(ObjectKind.Snapshot, old, cancellationToken).ConfigureAwait(false);
            }

            repaired++;
        }

        return (repaired, unchanged, removed);
    }

    /// <summary>Returns the ID of the repaired tree (the same ID when nothing was lost), or null when the tree itself is lost.</summary>
    private async Task<Id?> RepairTreeAsync(Id tree, string path, CancellationToken cancellationToken)
    {
        if (_repaired.TryGetValue(tree, out var known))
        {
            return known;
        }

        List<Node> nodes;
        try
        {
            nodes = await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RepositoryException or StorageException)
        {
            report?.Invoke($"{path}: tree {tree.Short} is lost ({e.Message})");
            _repaired[tree] = null;
            return null;
        }

        var changed = false;
        var result = new List<Node>(nodes.Count);
        foreach (var node in nodes)
        {
            var childPath = path.TrimEnd('/') + "/" + node.DisplayName;
            if (node.Type == NodeType.Dir && node.Subtree is { } sub)
            {
                var newSub = await RepairTreeAsync(sub, childPath, cancellationToken).ConfigureAwait(false) ?? await EmptyTreeAsync(cancellationToken).ConfigureAwait(false);
                changed |= newSub != sub;
                result.Add(newSub == sub ? node : node with { Subtree = newSub });
                continue;
            }

            if (node.Content is { } content && content.Any(b => !repository.Index.Has(BlobType.Data, b)))
            {
                var kept = content.Where(b => repository.Index.Has(BlobType.Data, b)).ToList();
                ulong size = 0;
                foreach (var b in kept)
                {
                    repository.Index.TryGet(BlobType.Data, b, out var loc);
                    size += loc.PlaintextLength;
                }

                report?.Invoke($"{childPath}: {content.Count - kept.Count} of {content.Count} chunks are lost; keeping {size} bytes");
                result.Add(node with { Content = kept, Size = size });
                changed = true;
                continue;
            }

            result.Add(node);
        }

        Id id = tree;
        if (changed)
        {
            var bytes = TreeCodec.Encode(result);
            id = Id.Hash(bytes);
            await repository.Blobs.SaveAsync(BlobType.Tree, id, bytes, cancellationToken).ConfigureAwait(false);
        }

        _repaired[tree] = id;
        return id;
    }

    private async Task<Id> EmptyTreeAsync(CancellationToken cancellationToken)
    {
        if (_emptyTree is { } known)
        {
            return known;
        }

        var bytes = TreeCodec.Encode([]);
        var id = Id.Hash(bytes);
        await repository.Blobs.SaveAsync(BlobType.Tree, id, bytes, cancellationToken).ConfigureAwait(false);
        _emptyTree = id;
        return id;
    }
}
