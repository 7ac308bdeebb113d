using Cairn.Repository.Format;
using Cairn.Repository.Internal;
using Cairn.Repository.Internal.Format;
using Cairn.Storage;

namespace Cairn.Maintenance.Recover;

/// <summary>What <see cref="TreeRecovery"/> found and wrote: the unreferenced root trees and the new snapshot, if any.</summary>
public sealed record RecoveryResult(int TreesInIndex, IReadOnlyList<Id> Roots, Id? Snapshot);

/// <summary>Where recovery stands, for the command to print.</summary>
public interface IRecoveryProgress
{
    /// <summary>A new stage of the recovery began.</summary>
    void Stage(string message);
}

/// <summary>
/// restic's recover: every tree in the index that no snapshot reaches and no other tree names as a subtree is a lost
/// root (say, of a snapshot forgotten by accident); one new snapshot of path /recover gets a folder per lost root,
/// named by the tree's ID. Nothing is deleted; a repository without lost roots is left unchanged. The caller holds a lock.
/// </summary>
public sealed class TreeRecovery(ResticRepository repository, TimeProvider? timeProvider = null, IRecoveryProgress? progress = null)
{
    /// <summary>os.ModeDir | 0755, as Go writes a folder's mode.</summary>
    private const uint DirectoryMode = 0x8000_0000u | 0x1EDu;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Finds trees no snapshot references and saves a snapshot holding them, so their data can be restored.</summary>
    public async Task<RecoveryResult> RunAsync(string hostname, string username, string programVersion, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var trees = repository.Index.All().Where(b => b.Location.Type == BlobType.Tree).Select(b => b.Id).Distinct().ToList();
        progress?.Stage($"load {trees.Count} trees");

        // A tree named by another tree is not a root of its own.
        var named = new HashSet<Id>();
        foreach (var tree in trees)
        {
            foreach (var node in await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false))
            {
                if (node.Type == NodeType.Dir && node.Subtree is { } sub)
                {
                    named.Add(sub);
                }
            }
        }

        progress?.Stage("load snapshots");
        var reached = new HashSet<Id>();
        foreach (var (_, snapshot) in await SnapshotFinder.ListAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            await MarkAsync(snapshot.Tree, reached, cancellationToken).ConfigureAwait(false);
        }

        var roots = trees.Where(t => !named.Contains(t) && !reached.Contains(t)).Order().ToList();
        progress?.Stage($"found {roots.Count} unreferenced roots");
        if (roots.Count == 0 || dryRun)
        {
            return new RecoveryResult(trees.Count, roots, null);
        }

        var now = NodeTime.FromDateTimeOffset(_time.GetLocalNow());
        var nodes = roots.Select(root => new Node
        {
            Name = System.Text.Encoding.UTF8.GetBytes(root.ToString()),
            Type = NodeType.Dir,
            Mode = DirectoryMode,
            ModTime = now,
            AccessTime = now,
            ChangeTime = now,
            Subtree = root,
        }).ToList();
        var bytes = TreeCodec.Encode(nodes);
        var treeId = Id.Hash(bytes);
        await repository.Blobs.SaveAsync(BlobType.Tree, treeId, bytes, cancellationToken).ConfigureAwait(false);
        await repository.Blobs.FlushAsync(cancellationToken).ConfigureAwait(false);

        var snapshotId = await repository.SaveSnapshotAsync(new Snapshot
        {
            Time = now,
            Tree = treeId,
            Paths = ["/recover"],
            Hostname = hostname,
            Username = username,
            Uid = ProcessIdentity.Uid,
            Gid = ProcessIdentity.Gid,
            ProgramVersion = programVersion,
        }, cancellationToken).ConfigureAwait(false);
        return new RecoveryResult(trees.Count, roots, snapshotId);
    }

    /// <summary>Marks a tree and all trees below it as reached by a snapshot; a tree the index lacks is skipped (check reports it).</summary>
    private async Task MarkAsync(Id root, HashSet<Id> reached, CancellationToken cancellationToken)
    {
        var pending = new Stack<Id>([root]);
        while (pending.TryPop(out var tree))
        {
            if (!reached.Add(tree) || !repository.Index.Has(BlobType.Tree, tree))
            {
                continue;
            }

            foreach (var node in await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false))
            {
                if (node.Type == NodeType.Dir && node.Subtree is { } sub)
                {
                    pending.Push(sub);
                }
            }
        }
    }
}
