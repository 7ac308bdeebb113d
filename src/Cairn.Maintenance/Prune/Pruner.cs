using Cairn.Repository.Format;
using Cairn.Repository.Trees;
using Cairn.Storage;

namespace Cairn.Maintenance.Prune;

/// <summary>
/// Removes data no snapshot needs. The caller holds an exclusive lock. Order (docs/format.md, "Ordering"):
/// used blobs of partly used packs are rewritten into new packs; a complete new index naming only kept and new
/// packs is written; only then are the old index files and the unneeded packs deleted, so at every moment every
/// snapshot's blobs are named by an index and present.
/// </summary>
public sealed class Pruner(ResticRepository repository, Action<string>? report = null)
{
    /// <summary>Removes unused data: repacks or deletes packs, then rewrites the index, in the order docs/format.md ("Ordering") requires.</summary>
    public async Task<PruneReport> RunAsync(PruneOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        // 1. What snapshots need (snapshots are read before the index).
        report?.Invoke("loading all snapshots...");
        var snapshots = await SnapshotFinder.ListAsync(repository, cancellationToken).ConfigureAwait(false);
        report?.Invoke("loading indexes...");
        var index = await IndexedPacks.LoadAsync(repository, onError: null, cancellationToken).ConfigureAwait(false);
        var oldIndexFiles = index.Files;
        var indexed = index.Packs.ToDictionary(p => p.Key, p => p.Value.Select(b => (b.Key.Id, Location: b.Value)).OrderBy(b => b.Location.Offset).ToList());

        report?.Invoke("finding data that is still in use for " + snapshots.Count + " snapshots");
        var used = await UsedBlobsAsync(snapshots, cancellationToken).ConfigureAwait(false);

        // 2. Packs as stored; the index must not name a missing pack that holds needed data.
        var stored = new Dictionary<Id, long>();
        foreach (var info in await repository.Files.ListAsync(ObjectKind.Pack, cancellationToken).ConfigureAwait(false))
        {
            stored[Id.Parse(info.Name.Name)] = info.Size;
        }

        var usages = new List<PackUsage>();
        var keeper = new HashSet<(BlobType, Id)>();
        foreach (var (packId, blobs) in indexed.OrderBy(p => p.Key))
        {
            if (!stored.TryGetValue(packId, out var size))
            {
                if (blobs.Any(b => used.Contains((b.Location.Type, b.Id))))
                {
                    throw new RepositoryIntegrityException($"pack {packId} is named by the index and holds data snapshots need, but it does not exist; run 'cairn repair index' and 'cairn check'");
                }

                continue;
            }

            var usage = new PackUsage(packId, size);
            foreach (var blob in blobs)
            {
                // A blob stored twice is kept in the first pack seen; its other copies are unused.
                if (used.Contains((blob.Location.Type, blob.Id)) && keeper.Add((blob.Location.Type, blob.Id)))
                {
                    usage.Used.Add(blob);
                }
                else
                {
                    usage.Unused.Add(blob);
                }
            }

            usages.Add(usage);
        }

        var missing = used.Where(u => !keeper.Contains(u)).ToList();
        if (missing.Count > 0)
        {
            throw new RepositoryIntegrityException($"{missing.Count} blobs that snapshots need are in no pack (e.g. {missing[0].Item1.ToJsonName()} blob {missing[0].Item2}); run 'cairn check' and 'cairn repair'");
        }

        var unreferenced = stored.Keys.Where(p => !indexed.ContainsKey(p)).ToList();

        // 3. Choose: drop empty packs, repack the most wasteful partly used ones until little enough is unused.
        var remove = usages.Where(u => u.IsEmpty).ToList();
        var partly = usages.Where(u => !u.IsEmpty && u.HasUnused).OrderByDescending(u => (double)u.UnusedBytes / u.Size).ToList();
        var usedBytes = usages.Sum(u => u.UsedBytes);
        var unusedLeft = usages.Where(u => !u.IsEmpty).Sum(u => u.UnusedBytes);
        var maxUnused = (long)(usedBytes * options.MaxUnusedPercent / 100);
        var repack = new List<PackUsage>();
        long repackBytes = 0;
        foreach (var candidate in partly)
        {
            if (unusedLeft <= maxUnused)
            {
                break;
            }

            if (options.MaxRepackBytes is { } limit && repackBytes + candidate.Size > limit)
            {
                continue;
            }

            repack.Add(candidate);
            repackBytes += candidate.Size;
            unusedLeft -= candidate.UnusedBytes;
        }

        var result = new PruneReport
        {
            UsedBlobs = usages.Sum(u => u.Used.Count),
            UsedBytes = usedBytes,
            UnusedBlobs = usages.Sum(u => u.Unused.Count),
            UnusedBytes = usages.Sum(u => u.UnusedBytes),
            PacksKept = usages.Count - remove.Count - repack.Count,
            PacksRepacked = repack.Count,
            PacksRemoved = remove.Count,
            UnreferencedPacksRemoved = unreferenced.Count,
            BytesFreed = remove.Sum(u => u.Size) + repack.Sum(u => u.UnusedBytes) + unreferenced.Sum(p => stored[p]),
            UnusedBytesLeft = unusedLeft,
            DryRun = options.DryRun,
        };
        if (options.DryRun || (remove.Count == 0 && repack.Count == 0 && unreferenced.Count == 0))
        {
            return result;
        }

        // 4. Rewrite used blobs of the packs to repack into new packs.
        var kept = usages.Except(remove).Except(repack).ToList();
        repository.ReplaceIndex(kept.SelectMany(u => u.Used.Concat(u.Unused)), []);
        report?.Invoke($"repacking {repack.Count} packs");
        foreach (var pack in repack)
        {
            var bytes = new byte[pack.Size];
            await repository.Files.ReadPackAsync(pack.Id, 0, bytes, cancellationToken).ConfigureAwait(false);
            foreach (var (id, location) in pack.Used)
            {
                var plain = repository.DecodeBlob(id, location, bytes.AsSpan((int)location.Offset, (int)location.Length));
                await repository.Blobs.SaveAsync(location.Type, id, plain, cancellationToken).ConfigureAwait(false);
            }
        }

        var flushIndex = await repository.Blobs.FlushAsync(cancellationToken).ConfigureAwait(false);

        // 5. A complete new index over kept and new packs, before anything is deleted.
        report?.Invoke("rebuilding index");
        var packsForIndex = kept.ToDictionary(u => u.Id, u => u.Used.Concat(u.Unused).OrderBy(b => b.Location.Offset).ToList());
        foreach (var (packId, blobs) in repository.Index.ByPack())
        {
            if (!indexed.ContainsKey(packId))
            {
                packsForIndex[packId] = blobs;
            }
        }

        var newIndex = await IndexWriter.WriteAsync(repository, packsForIndex, cancellationToken).ConfigureAwait(false);

        // 6. Now delete: old index files (and the interim one from the flush), then packs no index names.
        var newIndexSet = newIndex.ToHashSet();
        var removedIndexFiles = 0;
        foreach (var old in oldIndexFiles.Select(i => Id.Parse(i.Name.Name)).Concat(flushIndex).Where(i => !newIndexSet.Contains(i)))
        {
            await repository.Files.DeleteAsync(ObjectKind.Index, old, cancellationToken).ConfigureAwait(false);
            removedIndexFiles++;
        }

        report?.Invoke($"deleting {remove.Count + repack.Count + unreferenced.Count} packs");
        foreach (var pack in remove.Concat(repack).Select(u => u.Id).Concat(unreferenced))
        {
            await repository.Files.DeleteAsync(ObjectKind.Pack, pack, cancellationToken).ConfigureAwait(false);
        }

        return result with { IndexFilesWritten = newIndex.Count, IndexFilesRemoved = removedIndexFiles };
    }

    private async Task<HashSet<(BlobType, Id)>> UsedBlobsAsync(List<(Id Id, Snapshot Snapshot)> snapshots, CancellationToken cancellationToken)
    {
        var used = new HashSet<(BlobType, Id)>();
        foreach (var (_, snapshot) in snapshots)
        {
            if (!used.Add((BlobType.Tree, snapshot.Tree)))
            {
                continue;
            }

            await TreeWalker.WalkAsync(repository, snapshot.Tree, (_, node) =>
            {
                foreach (var blob in node.Content ?? [])
                {
                    used.Add((BlobType.Data, blob));
                }

                return node.Subtree is { } sub && used.Add((BlobType.Tree, sub));
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return used;
    }
}

/// <summary>The repository is not in a state where the operation is safe; nothing was deleted.</summary>
public sealed class RepositoryIntegrityException(string message) : RepositoryException(message);
