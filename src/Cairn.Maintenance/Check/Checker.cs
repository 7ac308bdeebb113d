using System.Collections.Concurrent;
using Cairn.Repository.Format;
using Cairn.Repository.Trees;
using Cairn.Storage;

namespace Cairn.Maintenance.Check;

/// <summary>
/// Verifies a repository: index files load; every pack the index names exists with the expected size and a header
/// that agrees with the index; every snapshot's trees load and name only blobs the index knows; with read-data,
/// every selected pack is read whole, its SHA-256 checked against its name and every blob authenticated. Damage is
/// reported per pack with the snapshots and file paths it affects.
/// </summary>
public sealed class Checker(ResticRepository repository, ICheckProgress? progress = null)
{
    private readonly List<CheckProblem> _errors = [];
    private readonly List<CheckProblem> _warnings = [];
    private readonly ConcurrentDictionary<Id, string> _damagedPacks = new();

    /// <summary>Checks the repository's structure and, with <see cref="CheckOptions.ReadData"/>, its data.</summary>
    public async Task<CheckReport> RunAsync(CheckOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Snapshots are listed before the index is read (docs/format.md, "Ordering").
        progress?.Stage("load snapshots");
        var snapshots = await LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false);

        progress?.Stage("load indexes");
        var indexed = await LoadIndexAsync(cancellationToken).ConfigureAwait(false);

        progress?.Stage("check all packs");
        var stored = new Dictionary<Id, long>();
        foreach (var info in await repository.Files.ListAsync(ObjectKind.Pack, cancellationToken).ConfigureAwait(false))
        {
            stored[Id.Parse(info.Name.Name)] = info.Size;
        }

        await CheckPacksAsync(indexed, stored, cancellationToken).ConfigureAwait(false);

        progress?.Stage("check snapshots, trees and blobs");
        var affected = new List<AffectedPath>();
        await CheckSnapshotsAsync(snapshots, affected, cancellationToken).ConfigureAwait(false);

        var read = 0;
        if (options.ReadData || options.ReadDataSubset is not null)
        {
            var candidates = stored.Where(p => indexed.ContainsKey(p.Key)).Select(p => (p.Key, p.Value)).ToList();
            var selected = options.ReadDataSubset is { } spec ? ReadDataSubset.Select(candidates, spec, Random.Shared) : candidates;
            progress?.Stage(options.ReadDataSubset is null ? "read all data" : $"read {selected.Count} of {candidates.Count} packs");
            await ReadPacksAsync(selected, indexed, cancellationToken).ConfigureAwait(false);
            read = selected.Count;
        }

        if (!_damagedPacks.IsEmpty)
        {
            await FindAffectedAsync(snapshots, indexed, affected, cancellationToken).ConfigureAwait(false);
        }

        return new CheckReport(_errors, _warnings, [.. _damagedPacks.Keys.Select(k => k.ToString()).Order()], affected, stored.Count, read, snapshots.Count);
    }

    private void Error(string what, string reason)
    {
        lock (_errors)
        {
            _errors.Add(new CheckProblem(what, reason));
        }
    }

    private void Damaged(Id pack, string reason)
    {
        if (_damagedPacks.TryAdd(pack, reason))
        {
            Error($"pack {pack}", reason);
        }
    }

    private async Task<List<(Id Id, Snapshot Snapshot)>> LoadSnapshotsAsync(CancellationToken cancellationToken)
    {
        var result = new List<(Id, Snapshot)>();
        foreach (var info in await repository.Files.ListAsync(ObjectKind.Snapshot, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                result.Add((Id.Parse(info.Name.Name), await repository.LoadJsonAsync<Snapshot>(info.Name, cancellationToken).ConfigureAwait(false)));
            }
            catch (Exception e) when (e is RepositoryException or StorageException)
            {
                Error(info.Name.ToString(), e.Message);
            }
        }

        return result;
    }

    /// <summary>Every pack the index files name, with its blobs; unreadable index files are reported.</summary>
    private async Task<IReadOnlyDictionary<Id, Dictionary<(BlobType Type, Id Id), BlobLocation>>> LoadIndexAsync(CancellationToken cancellationToken)
    {
        var index = await IndexedPacks.LoadAsync(repository, (name, e) => Error(name.ToString(), e.Message), cancellationToken).ConfigureAwait(false);
        return index.Packs;
    }

    private async Task CheckPacksAsync(IReadOnlyDictionary<Id, Dictionary<(BlobType Type, Id Id), BlobLocation>> indexed, Dictionary<Id, long> stored, CancellationToken cancellationToken)
    {
        foreach (var pack in stored.Keys.Where(p => !indexed.ContainsKey(p)))
        {
            lock (_warnings)
            {
                _warnings.Add(new CheckProblem($"pack {pack}", "not referenced in any index (run repair index, or prune to remove it)"));
            }
        }

        await Parallel.ForEachAsync(indexed, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (entry, ct) =>
        {
            var (pack, blobs) = entry;
            if (!stored.TryGetValue(pack, out var size))
            {
                Damaged(pack, "does not exist, but the index names it");
                return;
            }

            var expected = PackFile.ExpectedSize(blobs.Values);
            if (expected != size)
            {
                Damaged(pack, $"has {size} bytes, the index implies {expected}");
                return;
            }

            try
            {
                var header = await PackFile.ReadHeaderAsync(repository, pack, size, ct).ConfigureAwait(false);
                CompareHeader(pack, header, blobs);
            }
            catch (Exception e) when (e is RepositoryException or StorageException)
            {
                Damaged(pack, e.Message);
            }
        }).ConfigureAwait(false);
    }

    private void CompareHeader(Id pack, List<PackEntry> header, Dictionary<(BlobType, Id), BlobLocation> indexed)
    {
        var fromHeader = header.ToDictionary(e => (e.Type, e.Id), e => e);
        foreach (var ((type, id), loc) in indexed)
        {
            if (!fromHeader.TryGetValue((type, id), out var e) || e.Offset != loc.Offset || e.Length != loc.Length || e.UncompressedLength != loc.UncompressedLength)
            {
                Damaged(pack, $"header and index disagree on {type.ToJsonName()} blob {id}");
                return;
            }
        }

        if (fromHeader.Count != indexed.Count)
        {
            Damaged(pack, $"header lists {fromHeader.Count} blobs, the index {indexed.Count}");
        }
    }

    private async Task CheckSnapshotsAsync(List<(Id Id, Snapshot Snapshot)> snapshots, List<AffectedPath> affected, CancellationToken cancellationToken)
    {
        var seenTrees = new HashSet<Id>();
        var missingData = new HashSet<Id>();
        foreach (var (snapshotId, snapshot) in snapshots)
        {
            if (!repository.Index.Has(BlobType.Tree, snapshot.Tree))
            {
                Error($"snapshot {snapshotId.Short}", $"root tree {snapshot.Tree} is not in any index");
                affected.Add(new AffectedPath(snapshotId.Short, "/", $"tree {snapshot.Tree.Short} missing"));
                continue;
            }

            if (!seenTrees.Add(snapshot.Tree))
            {
                continue;
            }

            await TreeWalker.WalkAsync(repository, snapshot.Tree, (path, node) =>
            {
                if (node.Type == NodeType.Dir)
                {
                    if (node.Subtree is not { } sub)
                    {
                        Error($"snapshot {snapshotId.Short}", $"directory {path} has no subtree");
                        return false;
                    }

                    if (!repository.Index.Has(BlobType.Tree, sub))
                    {
                        Error($"tree {sub}", $"is not in any index (needed by {path} in snapshot {snapshotId.Short})");
                        affected.Add(new AffectedPath(snapshotId.Short, path, $"tree {sub.Short} missing"));
                        return false;
                    }

                    return seenTrees.Add(sub);
                }

                foreach (var blob in node.Content ?? [])
                {
                    if (!repository.Index.Has(BlobType.Data, blob) && missingData.Add(blob))
                    {
                        Error($"data blob {blob}", $"is not in any index (needed by {path} in snapshot {snapshotId.Short})");
                        affected.Add(new AffectedPath(snapshotId.Short, path, $"data blob {blob.Short} missing"));
                    }
                }

                return false;
            }, (path, tree, e) => Error($"tree {tree}", $"{e.Message} (needed by {path} in snapshot {snapshotId.Short})"),
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadPacksAsync(List<(Id Id, long Size)> packs, IReadOnlyDictionary<Id, Dictionary<(BlobType Type, Id Id), BlobLocation>> indexed, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(packs, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, async (pack, ct) =>
        {
            if (_damagedPacks.ContainsKey(pack.Id))
            {
                return;
            }

            byte[] bytes;
            try
            {
                bytes = new byte[pack.Size];
                await repository.Files.ReadPackAsync(pack.Id, 0, bytes, ct).ConfigureAwait(false);
            }
            catch (StorageException e)
            {
                Damaged(pack.Id, "cannot be read: " + e.Message);
                return;
            }

            if (Id.Hash(bytes) != pack.Id)
            {
                Damaged(pack.Id, "content does not match its name (SHA-256 mismatch)");
                return;
            }

            try
            {
                foreach (var entry in PackFile.ReadHeader(repository, pack.Id, bytes))
                {
                    var location = new BlobLocation(pack.Id, entry.Type, entry.Offset, entry.Length, entry.UncompressedLength);
                    repository.DecodeBlob(entry.Id, location, bytes.AsSpan((int)entry.Offset, (int)entry.Length));
                }
            }
            catch (RepositoryException e)
            {
                Damaged(pack.Id, e.Message);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Maps each damaged pack to the snapshot paths whose data or trees it holds.</summary>
    private async Task FindAffectedAsync(List<(Id Id, Snapshot Snapshot)> snapshots, IReadOnlyDictionary<Id, Dictionary<(BlobType Type, Id Id), BlobLocation>> indexed, List<AffectedPath> affected, CancellationToken cancellationToken)
    {
        var lost = new Dictionary<(BlobType, Id), Id>();
        foreach (var pack in _damagedPacks.Keys)
        {
            if (indexed.TryGetValue(pack, out var blobs))
            {
                foreach (var key in blobs.Keys)
                {
                    lost.TryAdd(key, pack);
                }
            }
        }

        foreach (var (snapshotId, snapshot) in snapshots)
        {
            if (lost.TryGetValue((BlobType.Tree, snapshot.Tree), out var rootPack))
            {
                affected.Add(new AffectedPath(snapshotId.Short, "/", $"pack {rootPack.Short}"));
                continue;
            }

            await TreeWalker.WalkAsync(repository, snapshot.Tree, (path, node) =>
            {
                if (node.Type == NodeType.Dir && node.Subtree is { } sub)
                {
                    if (lost.TryGetValue((BlobType.Tree, sub), out var p))
                    {
                        affected.Add(new AffectedPath(snapshotId.Short, path, $"pack {p.Short}"));
                        return false;
                    }

                    return true;
                }

                foreach (var blob in node.Content ?? [])
                {
                    if (lost.TryGetValue((BlobType.Data, blob), out var p))
                    {
                        affected.Add(new AffectedPath(snapshotId.Short, path, $"pack {p.Short}"));
                        break;
                    }
                }

                return false;
            }, (_, _, _) => { }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
