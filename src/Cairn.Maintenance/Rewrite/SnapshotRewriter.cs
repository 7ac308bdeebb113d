using System.Text;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;
using Cairn.Storage;

namespace Cairn.Maintenance.Rewrite;

/// <summary>
/// Removes excluded files and folders from snapshots (restic 0.15's <c>rewrite</c>). Only the trees on the way to
/// an excluded node are written anew; every other subtree and all file data are reused by ID, so nothing is read
/// from packs but trees. The new snapshot keeps time, host, paths and tags, gets <c>original</c> set to the
/// snapshot it replaces, and the tag <c>rewrite</c> unless the original is forgotten. Ordering (docs/format.md):
/// packs and their index are written before the snapshot, and an original is removed only after its replacement
/// is stored. The excluded data stays in its packs until prune finds nothing referencing it.
/// </summary>
public sealed class SnapshotRewriter(ResticRepository repository, ExcludeRules excludes, bool dryRun)
{
    /// <summary>The tag a rewritten snapshot gets.</summary>
    public const string RewriteTag = "rewrite";

    // The same tree at the same path filters the same way in every snapshot; most snapshots share most trees.
    private readonly Dictionary<(Id Tree, string Path), (Id Tree, List<string> Excluded)> _filtered = [];

    /// <summary>Rewrites one snapshot; with <paramref name="forget"/> the original file is removed once the new one is saved.</summary>
    public async Task<RewriteOutcome> RewriteAsync(Id id, Snapshot snapshot, bool forget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var excluded = new List<string>();
        var root = await FilterAsync(snapshot.Tree, "/"u8.ToArray(), excluded, cancellationToken).ConfigureAwait(false);
        if (root == snapshot.Tree)
        {
            return new RewriteOutcome(excluded, Modified: false, NewId: null);
        }

        if (dryRun)
        {
            return new RewriteOutcome(excluded, Modified: true, NewId: null);
        }

        await repository.Blobs.FlushAsync(cancellationToken).ConfigureAwait(false);
        var tags = snapshot.Tags ?? [];
        var rewritten = snapshot with
        {
            Tree = root,
            Original = id,
            Tags = forget || tags.Contains(RewriteTag, StringComparer.Ordinal) ? snapshot.Tags : [.. tags, RewriteTag],
        };
        var newId = await repository.SaveSnapshotAsync(rewritten, cancellationToken).ConfigureAwait(false);
        if (forget)
        {
            try
            {
                await repository.Files.DeleteAsync(ObjectKind.Snapshot, id, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectNotFoundException)
            {
            }
        }

        return new RewriteOutcome(excluded, Modified: true, newId);
    }

    /// <summary>The ID of the tree without its excluded nodes (the same ID when none is excluded below it).</summary>
    private async Task<Id> FilterAsync(Id tree, byte[] path, List<string> excluded, CancellationToken cancellationToken)
    {
        var key = (tree, Encoding.Latin1.GetString(path));
        if (_filtered.TryGetValue(key, out var known))
        {
            excluded.AddRange(known.Excluded);
            return known.Tree;
        }

        var nodes = await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
        var below = new List<string>();
        var kept = new List<Node>(nodes.Count);
        var changed = false;
        foreach (var node in nodes)
        {
            var childPath = Child(path, node.Name);
            if (excludes.Excludes(childPath))
            {
                below.Add(Encoding.UTF8.GetString(childPath));
                changed = true;
                continue;
            }

            if (node.Type == NodeType.Dir && node.Subtree is { } subtree)
            {
                var filtered = await FilterAsync(subtree, childPath, below, cancellationToken).ConfigureAwait(false);
                if (filtered != subtree)
                {
                    kept.Add(node with { Subtree = filtered });
                    changed = true;
                    continue;
                }
            }

            kept.Add(node);
        }

        var result = tree;
        if (changed)
        {
            // A tree that does not encode back to its own ID carries something the rewrite would lose.
            if (Id.Hash(TreeCodec.Encode(nodes)) != tree)
            {
                throw new TreeNotReencodableException(Encoding.UTF8.GetString(path));
            }

            var bytes = TreeCodec.Encode(kept);
            result = Id.Hash(bytes);
            if (!dryRun)
            {
                await repository.Blobs.SaveAsync(BlobType.Tree, result, bytes, cancellationToken).ConfigureAwait(false);
            }
        }

        _filtered[key] = (result, below);
        excluded.AddRange(below);
        return result;
    }

    private static byte[] Child(byte[] parent, byte[] name)
    {
        var separator = parent.Length > 0 && parent[^1] == (byte)'/' ? 0 : 1;
        var path = new byte[parent.Length + separator + name.Length];
        parent.CopyTo(path, 0);
        if (separator == 1)
        {
            path[parent.Length] = (byte)'/';
        }

        name.CopyTo(path, parent.Length + separator);
        return path;
    }
}
