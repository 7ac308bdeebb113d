using System.Text;
using Cairn.Platform;
using Cairn.Repository;
using Cairn.Repository.Filtering;
using Cairn.Repository.Format;

namespace Cairn.Restore;

/// <summary>
/// Everything a restore will create, worked out before anything is written: every name is checked so no entry
/// can land outside the target, and every file's blobs are located in the index.
/// </summary>
internal sealed class RestorePlan
{
    public List<PlannedEntry> Entries { get; } = [];

    public long FileCount { get; private set; }

    public long ByteCount { get; private set; }

    public static async Task<RestorePlan> BuildAsync(IRestoreSource source, Id rootTree, RawPath target, RestoreOptions options, CancellationToken cancellationToken)
    {
        var plan = new RestorePlan();
        var includes = new PathPatternSet(options.Includes);
        var excludes = new PathPatternSet(options.Excludes);
        var root = source.LoadTreeAsync(rootTree, cancellationToken);
        await plan.AddTreeAsync(source, rootTree, root, target, "", includes, excludes, includedByAncestor: includes.IsEmpty, depth: 0, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    private async Task<bool> AddTreeAsync(IRestoreSource source, Id treeId, Task<List<Node>> loading, RawPath dir, string snapshotPath, PathPatternSet includes, PathPatternSet excludes, bool includedByAncestor, int depth, CancellationToken cancellationToken)
    {
        if (depth > 4096)
        {
            throw new UnsafeSnapshotException($"tree {treeId} is nested more than 4096 levels deep");
        }

        var nodes = await loading.ConfigureAwait(false);

        // The subfolders' trees are read ahead, all at once, while this folder is planned: reading them one after
        // the other in plan order would wait on the disk for each.
        Dictionary<Id, Task<List<Node>>>? readAhead = null;
        if (includedByAncestor)
        {
            foreach (var node in nodes)
            {
                if (node is { Type: NodeType.Dir, Subtree: { } id })
                {
                    readAhead ??= [];
                    readAhead.TryAdd(id, Task.Run(() => source.LoadTreeAsync(id, cancellationToken), cancellationToken));
                }
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var any = false;
        foreach (var node in nodes)
        {
            CheckName(node, snapshotPath);
            if (!seen.Add(Convert.ToBase64String(node.Name)))
            {
                throw new UnsafeSnapshotException($"refusing to restore: the name \"{node.DisplayName}\" appears twice in {DisplayPath(snapshotPath)}");
            }

            var childPath = snapshotPath + "/" + Encoding.UTF8.GetString(node.Name);
            var childBytes = Encoding.UTF8.GetBytes(childPath);
            if (excludes.IsMatch(childBytes))
            {
                continue;
            }

            var included = includedByAncestor || includes.IsMatch(childBytes);
            var path = dir.Join(node.Name);
            if (node.Type == NodeType.Dir)
            {
                if (node.Subtree is not { } subtree)
                {
                    throw new CorruptedDataException($"directory {DisplayPath(childPath)}", "has no subtree");
                }

                if (!included && !includes.MayMatchBelow(childBytes))
                {
                    continue;
                }

                var index = Entries.Count;
                Entries.Add(new PlannedEntry(path, node, depth + 1));
                var subtreeNodes = readAhead is not null && readAhead.TryGetValue(subtree, out var ahead) ? ahead : source.LoadTreeAsync(subtree, cancellationToken);
                var hasChildren = await AddTreeAsync(source, subtree, subtreeNodes, path, childPath, includes, excludes, included, depth + 1, cancellationToken).ConfigureAwait(false);
                if (!included && !hasChildren)
                {
                    Entries.RemoveAt(index);
                    continue;
                }

                any = true;
                continue;
            }

            if (!included)
            {
                continue;
            }

            if (node.Type == NodeType.File)
            {
                FileCount++;
                ByteCount += (long)node.Size;
            }

            Entries.Add(new PlannedEntry(path, node, depth + 1));
            any = true;
        }

        return any;
    }

    private static void CheckName(Node node, string parent)
    {
        var name = node.Name;
        if (name.Length == 0 || name.AsSpan().SequenceEqual("."u8) || name.AsSpan().SequenceEqual(".."u8)
            || name.AsSpan().IndexOf((byte)'/') >= 0 || name.AsSpan().IndexOf((byte)0) >= 0)
        {
            throw new UnsafeSnapshotException(
                $"refusing to restore: the snapshot names an entry \"{node.DisplayName}\" in {DisplayPath(parent)}, which would escape the target");
        }
    }

    private static string DisplayPath(string path) => path.Length == 0 ? "/" : path;
}

internal sealed record PlannedEntry(RawPath Path, Node Node, int Depth);
