using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Trees;

namespace Cairn.Maintenance.Inspection;

/// <summary>What <c>stats --mode restore-size</c> counts: every node of every snapshot and the bytes a restore writes.</summary>
public sealed record RestoreSize(long Snapshots, long Files, long Bytes);

/// <summary>
/// What <c>stats --mode raw-data</c> counts: the distinct blobs the snapshots reference, their stored size (as in the
/// packs, encrypted and maybe compressed) and their plaintext size.
/// </summary>
public sealed record RawDataSize(long Snapshots, long Blobs, long StoredBytes, long UncompressedBytes, long CompressedBlobs)
{
    /// <summary>Plaintext per stored byte (1 when nothing is compressed; 0 for no data).</summary>
    public double CompressionRatio => StoredBytes == 0 ? 0 : (double)UncompressedBytes / StoredBytes;

    /// <summary>Percentage of blobs stored compressed.</summary>
    public double CompressionProgress => Blobs == 0 ? 0 : CompressedBlobs * 100.0 / Blobs;

    /// <summary>Percentage of plaintext bytes saved by compression.</summary>
    public double CompressionSpaceSaving => UncompressedBytes == 0 ? 0 : (1 - ((double)StoredBytes / UncompressedBytes)) * 100;
}

/// <summary>The two counting modes of <c>stats</c>, computed from the trees and the index.</summary>
public static class RepositoryStatistics
{
    /// <summary>
    /// Counts every node (files, directories, links, special files) of each snapshot and sums file sizes. As in
    /// restic, hard links within one snapshot (same device and inode, more than one link) add their size once;
    /// the same file in two snapshots counts twice.
    /// </summary>
    public static async Task<RestoreSize> RestoreSizeAsync(ResticRepository repository, IEnumerable<Snapshot> snapshots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshots);
        long count = 0, files = 0, bytes = 0;
        foreach (var snapshot in snapshots)
        {
            count++;
            var linked = new HashSet<(ulong Device, ulong Inode)>();
            await foreach (var (_, node) in TreeWalker.EnumerateAsync(repository, snapshot.Tree, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                files++;
                if (node.Type != NodeType.File)
                {
                    continue;
                }

                if (node.Links > 1 && !linked.Add((node.DeviceId, node.Inode)))
                {
                    continue;
                }

                bytes += (long)node.Size;
            }
        }

        return new RestoreSize(count, files, bytes);
    }

    /// <summary>Counts each tree and data blob the snapshots reach once, however often it is referenced.</summary>
    public static async Task<RawDataSize> RawDataAsync(ResticRepository repository, IEnumerable<Snapshot> snapshots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshots);
        var blobs = new HashSet<(BlobType, Id)>();
        long count = 0;
        foreach (var snapshot in snapshots)
        {
            count++;
            await CollectAsync(repository, snapshot.Tree, blobs, cancellationToken).ConfigureAwait(false);
        }

        long stored = 0, plain = 0, compressed = 0;
        foreach (var (type, id) in blobs)
        {
            if (!repository.Index.TryGet(type, id, out var location))
            {
                throw new CorruptedDataException($"{type.ToJsonName()} blob {id}", "not found in any index");
            }

            stored += location.Length;
            plain += location.PlaintextLength;
            compressed += location.IsCompressed ? 1 : 0;
        }

        return new RawDataSize(count, blobs.Count, stored, plain, compressed);
    }

    /// <summary>Adds a tree and everything below it to <paramref name="blobs"/>, entering each tree only once.</summary>
    public static async Task CollectAsync(ResticRepository repository, Id tree, HashSet<(BlobType, Id)> blobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(blobs);
        if (!blobs.Add((BlobType.Tree, tree)))
        {
            return;
        }

        await TreeWalker.WalkAsync(repository, tree, (_, node) =>
        {
            foreach (var blob in node.Content ?? [])
            {
                blobs.Add((BlobType.Data, blob));
            }

            return node.Type == NodeType.Dir && node.Subtree is { } subtree && blobs.Add((BlobType.Tree, subtree));
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
