using System.Text;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;
using Cairn.Repository.Trees;

namespace Cairn.Maintenance.Inspection;

/// <summary>
/// Compares two snapshot trees the way restic 0.14's <c>diff</c> does: both trees are walked side by side in name
/// order; added and removed directories are listed with everything below them; a node whose type changed is marked
/// "T" and not entered; a file whose content list changed is "M"; any other difference in a node's stored form
/// (times, mode, owner, link target, a directory's subtree) is "U". Blob statistics count the blobs met on each
/// side that the other side does not have, sized by their plaintext length.
/// </summary>
public sealed class SnapshotDiffer(ResticRepository repository, bool includeMetadata)
{
    private readonly List<PathChange> _changes = [];
    private readonly HashSet<(BlobType, Id)> _added = [];
    private readonly HashSet<(BlobType, Id)> _removed = [];
    private int _changedFiles;
    private int _addedFiles, _addedDirs, _addedOthers, _removedFiles, _removedDirs, _removedOthers;

    /// <summary>Compares two snapshot trees: the changed paths and the counts of what only one side has.</summary>
    public async Task<SnapshotDifference> CompareAsync(Id from, Id to, CancellationToken cancellationToken = default)
    {
        if (from != to)
        {
            _removed.Add((BlobType.Tree, from));
            _added.Add((BlobType.Tree, to));
        }

        await CompareTreesAsync("", from, to, cancellationToken).ConfigureAwait(false);

        // A blob that moved (met on both sides) is neither new nor gone.
        var onlyAdded = _added.Except(_removed).ToList();
        var onlyRemoved = _removed.Except(_added).ToList();
        return new SnapshotDifference(_changes, _changedFiles,
            Counts(onlyAdded, _addedFiles, _addedDirs, _addedOthers),
            Counts(onlyRemoved, _removedFiles, _removedDirs, _removedOthers));
    }

    private DiffCounts Counts(List<(BlobType Type, Id Id)> blobs, int files, int dirs, int others)
    {
        long bytes = 0;
        foreach (var (type, id) in blobs)
        {
            if (repository.Index.TryGet(type, id, out var location))
            {
                bytes += location.PlaintextLength;
            }
        }

        return new DiffCounts(files, dirs, others, blobs.Count(b => b.Type == BlobType.Data), blobs.Count(b => b.Type == BlobType.Tree), bytes);
    }

    private async Task CompareTreesAsync(string prefix, Id from, Id to, CancellationToken cancellationToken)
    {
        if (from == to)
        {
            return;
        }

        var left = (await repository.LoadTreeAsync(from, cancellationToken).ConfigureAwait(false)).ToDictionary(n => Encoding.UTF8.GetString(n.Name), StringComparer.Ordinal);
        var right = (await repository.LoadTreeAsync(to, cancellationToken).ConfigureAwait(false)).ToDictionary(n => Encoding.UTF8.GetString(n.Name), StringComparer.Ordinal);
        foreach (var name in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            var path = prefix + "/" + name;
            left.TryGetValue(name, out var a);
            right.TryGetValue(name, out var b);
            if (b is null)
            {
                await ReportAllAsync(path, a!, "-", cancellationToken).ConfigureAwait(false);
            }
            else if (a is null)
            {
                await ReportAllAsync(path, b, "+", cancellationToken).ConfigureAwait(false);
            }
            else if (a.Type != b.Type)
            {
                AddOwnBlobs(a, _removed);
                AddOwnBlobs(b, _added);
                _changes.Add(new PathChange(Display(path, b), includeMetadata ? "TU" : "T"));
            }
            else if (a.Type == NodeType.File && !SameContent(a, b))
            {
                AddOwnBlobs(a, _removed);
                AddOwnBlobs(b, _added);
                _changedFiles++;
                _changes.Add(new PathChange(path, "M"));
            }
            else
            {
                if (includeMetadata && !SameNode(a, b))
                {
                    _changes.Add(new PathChange(Display(path, b), "U"));
                }

                if (a.Type == NodeType.Dir && a.Subtree is { } sa && b.Subtree is { } sb && sa != sb)
                {
                    _removed.Add((BlobType.Tree, sa));
                    _added.Add((BlobType.Tree, sb));
                    await CompareTreesAsync(path, sa, sb, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Reports a node that exists on one side only, and for a directory everything below it.</summary>
    private async Task ReportAllAsync(string path, Node node, string modifier, CancellationToken cancellationToken)
    {
        ReportOne(path, node, modifier);
        if (node.Type == NodeType.Dir && node.Subtree is { } subtree)
        {
            await foreach (var (childPath, child) in TreeWalker.EnumerateAsync(repository, subtree, path, cancellationToken).ConfigureAwait(false))
            {
                ReportOne(childPath, child, modifier);
            }
        }
    }

    private void ReportOne(string path, Node node, string modifier)
    {
        var blobs = modifier == "+" ? _added : _removed;
        _changes.Add(new PathChange(Display(path, node), modifier));
        var added = modifier == "+";
        switch (node.Type)
        {
            case NodeType.File when added: _addedFiles++; break;
            case NodeType.File: _removedFiles++; break;
            case NodeType.Dir when added: _addedDirs++; break;
            case NodeType.Dir: _removedDirs++; break;
            default:
                if (added)
                {
                    _addedOthers++;
                }
                else
                {
                    _removedOthers++;
                }

                break;
        }

        AddOwnBlobs(node, blobs);
    }

    private static void AddOwnBlobs(Node node, HashSet<(BlobType, Id)> blobs)
    {
        foreach (var blob in node.Content ?? [])
        {
            blobs.Add((BlobType.Data, blob));
        }

        if (node.Type == NodeType.Dir && node.Subtree is { } subtree)
        {
            blobs.Add((BlobType.Tree, subtree));
        }
    }

    private static string Display(string path, Node node) => node.Type == NodeType.Dir ? path + "/" : path;

    private static bool SameContent(Node a, Node b) => (a.Content ?? []).SequenceEqual(b.Content ?? []);

    /// <summary>Equal in every stored field, compared through the tree encoding so no field is forgotten.</summary>
    private static bool SameNode(Node a, Node b) => TreeCodec.Encode([a]).AsSpan().SequenceEqual(TreeCodec.Encode([b]));
}
