using System.Text;
using Cairn.Platform;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Restore;

/// <summary>
/// Everything a restore will create, worked out before anything is written: every name is checked so no entry
/// can land outside the target, and every file's blobs are located in the index.
/// </summary>
internal sealed class RestorePlan
{
    private RestorePlan(RestoreFilter filter) => Filter = filter;

    public List<PlannedEntry> Entries { get; } = [];

    /// <summary>The restore's include and exclude patterns.</summary>
    public RestoreFilter Filter { get; }

    public long FileCount { get; private set; }

    public long ByteCount { get; private set; }

    /// <summary>The folders the restore covers, with the names the snapshot has in each; kept only for --delete.</summary>
    public List<PlannedFolder> Folders { get; } = [];

    public static async Task<RestorePlan> BuildAsync(IRestoreSource source, Id rootTree, RawPath target, RestoreOptions options, CancellationToken cancellationToken)
    {
        var filter = new RestoreFilter(options);
        var plan = new RestorePlan(filter);
        var root = source.LoadTreeAsync(rootTree, cancellationToken);
        await plan.AddTreeAsync(source, rootTree, root, target, "", filter, options.DeleteExtra, includedByAncestor: filter.IncludesEverything, depth: 0, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    private async Task<bool> AddTreeAsync(IRestoreSource source, Id treeId, Task<List<Node>> loading, RawPath dir, string snapshotPath, RestoreFilter filter, bool keepFolders, bool includedByAncestor, int depth, CancellationToken cancellationToken)
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
        if (keepFolders)
        {
            Folders.Add(new PlannedFolder(dir, snapshotPath, includedByAncestor, seen));
        }

        var any = false;
        foreach (var node in nodes)
        {
            CheckName(node, snapshotPath);
            if (!seen.Add(PlannedFolder.Key(node.Name)))
            {
                throw new UnsafeSnapshotException($"refusing to restore: the name \"{node.DisplayName}\" appears twice in {DisplayPath(snapshotPath)}");
            }

            var childPath = snapshotPath + "/" + Encoding.UTF8.GetString(node.Name);
            if (filter.IsExcluded(childPath))
            {
                continue;
            }

            var included = includedByAncestor || filter.IsIncluded(childPath);
            var path = dir.Join(node.Name);
            if (node.Type == NodeType.Dir)
            {
                if (node.Subtree is not { } subtree)
                {
                    throw new CorruptedDataException($"directory {DisplayPath(childPath)}", "has no subtree");
                }

                if (!included && !filter.MayIncludeBelow(childPath))
                {
                    continue;
                }

                var index = Entries.Count;
                var folderCount = Folders.Count;
                Entries.Add(new PlannedEntry(path, node, depth + 1, childPath));
                var subtreeNodes = readAhead is not null && readAhead.TryGetValue(subtree, out var ahead) ? ahead : source.LoadTreeAsync(subtree, cancellationToken);
                var hasChildren = await AddTreeAsync(source, subtree, subtreeNodes, path, childPath, filter, keepFolders, included, depth + 1, cancellationToken).ConfigureAwait(false);
                if (!included && !hasChildren)
                {
                    // Entered only because a pattern might match below, and nothing did: not restored, so not cleaned either.
                    Entries.RemoveAt(index);
                    Folders.RemoveRange(folderCount, Folders.Count - folderCount);
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

            Entries.Add(new PlannedEntry(path, node, depth + 1, childPath));
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

/// <summary>One entry to restore, at its place on the disk and in the snapshot.</summary>
internal sealed record PlannedEntry(RawPath Path, Node Node, int Depth, string SnapshotPath)
{
    /// <summary>What the restore does with it, decided against what the target already holds.</summary>
    public EntryDecision Decision { get; set; } = EntryDecision.Create;
}

/// <summary>What the restore does with one entry.</summary>
internal enum EntryDecision
{
    /// <summary>Nothing stands at its path: it is created.</summary>
    Create,

    /// <summary>Something different stands there: it is replaced.</summary>
    Replace,

    /// <summary>The file there already has the snapshot's content: only the metadata is set.</summary>
    SetMetadataOnly,

    /// <summary>What stands there stays as it is (the overwrite mode says so).</summary>
    Keep,
}

/// <summary>A folder the restore covers: the names the snapshot has in it, and whether its entries are all selected.</summary>
internal sealed record PlannedFolder(RawPath Path, string SnapshotPath, bool IncludedByAncestor, HashSet<string> Names)
{
    /// <summary>A name as a set key: Latin-1 maps each byte to one char, so names that are not UTF-8 stay exact.</summary>
    public static string Key(byte[] name) => Encoding.Latin1.GetString(name);
}
