using System.Buffers;
using System.Text.Json;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;
using Cairn.Storage;

namespace Cairn.Maintenance.Copy;

/// <summary>
/// Copies the blobs of a tree that the destination lacks: every tree below the root is read from the source (and
/// stored in the destination when missing there, as the plaintext bytes it has, so its ID stays), then the missing
/// data blobs are read pack by pack, a few ranges per pack, decrypted and checked with the source's key and stored
/// with the destination's. Trees already walked in this run are not walked again. Storing goes through the
/// destination's <see cref="Cairn.Repository.Internal.PackAssembler"/>; the caller flushes it before writing a snapshot that needs the blobs.
/// </summary>
internal sealed class BlobCopier(ResticRepository source, ResticRepository destination)
{
    /// <summary>Stored bytes between two wanted blobs of a pack up to which one read covers both.</summary>
    private const int MaxGap = 256 * 1024;

    /// <summary>The most one read asks for (a single larger blob is still read whole).</summary>
    private const int MaxRange = 16 * 1024 * 1024;

    private const int TreeReaders = 8;
    private const int PackReaders = 4;

    private readonly HashSet<Id> _walked = [];
    private readonly Lock _lock = new();

    public async Task<CopiedBlobs> CopyAsync(Id rootTree, ICopyProgress? progress, CancellationToken cancellationToken = default)
    {
        var data = new HashSet<Id>();
        var treePacks = new HashSet<Id>();
        var trees = 0;
        long bytes = 0;
        var level = new List<Id>();
        if (_walked.Add(rootTree))
        {
            level.Add(rootTree);
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = TreeReaders, CancellationToken = cancellationToken };
        while (level.Count > 0)
        {
            var next = new List<Id>();
            await Parallel.ForEachAsync(level, parallel, async (tree, ct) =>
            {
                var plain = await source.LoadBlobAsync(BlobType.Tree, tree, ct).ConfigureAwait(false);
                var nodes = DecodeTree(tree, plain);
                if (await destination.Blobs.SaveAsync(BlobType.Tree, tree, plain, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref trees);
                    Interlocked.Add(ref bytes, plain.Length);
                    source.Index.TryGet(BlobType.Tree, tree, out var location);
                    lock (_lock)
                    {
                        treePacks.Add(location.Pack);
                    }
                }

                lock (_lock)
                {
                    foreach (var node in nodes)
                    {
                        foreach (var blob in node.Content ?? [])
                        {
                            if (!destination.Blobs.Has(BlobType.Data, blob))
                            {
                                data.Add(blob);
                            }
                        }

                        if (node.Subtree is { } subtree && _walked.Add(subtree))
                        {
                            next.Add(subtree);
                        }
                    }
                }
            }).ConfigureAwait(false);
            level = next;
        }

        var byPack = GroupByPack(data);
        var packs = byPack.Keys.Union(treePacks).Count();
        progress?.PacksPlanned(packs);
        foreach (var _ in treePacks.Where(p => !byPack.ContainsKey(p)))
        {
            progress?.PackCopied(); // a pack of trees only: copied during the walk
        }

        var copiedData = 0;
        await Parallel.ForEachAsync(byPack, new ParallelOptions { MaxDegreeOfParallelism = PackReaders, CancellationToken = cancellationToken }, async (pack, ct) =>
        {
            var (count, plainBytes) = await CopyFromPackAsync(pack.Key, pack.Value, ct).ConfigureAwait(false);
            Interlocked.Add(ref copiedData, count);
            Interlocked.Add(ref bytes, plainBytes);
            progress?.PackCopied();
        }).ConfigureAwait(false);
        return new CopiedBlobs(trees, copiedData, bytes, packs);
    }

    private static List<Node> DecodeTree(Id id, byte[] plain)
    {
        try
        {
            return TreeCodec.Decode(plain);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new CorruptedDataException($"tree {id}", e.Message, e);
        }
    }

    private Dictionary<Id, List<(Id Id, BlobLocation Location)>> GroupByPack(HashSet<Id> blobs)
    {
        var byPack = new Dictionary<Id, List<(Id, BlobLocation)>>();
        foreach (var id in blobs)
        {
            if (!source.Index.TryGet(BlobType.Data, id, out var location))
            {
                throw new CorruptedDataException($"data blob {id}", "a tree of the source repository names it, but no index of the source does (run check on the source)");
            }

            if (!byPack.TryGetValue(location.Pack, out var list))
            {
                byPack[location.Pack] = list = [];
            }

            list.Add((id, location));
        }

        return byPack;
    }

    private async Task<(int Blobs, long Bytes)> CopyFromPackAsync(Id pack, List<(Id Id, BlobLocation Location)> blobs, CancellationToken cancellationToken)
    {
        blobs.Sort((a, b) => a.Location.Offset.CompareTo(b.Location.Offset));
        var copied = 0;
        long bytes = 0;
        foreach (var range in Ranges(blobs))
        {
            var start = range[0].Location.Offset;
            var length = checked((int)(range.Max(b => (long)b.Location.Offset + b.Location.Length) - start));
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                await source.Files.ReadPackAsync(pack, start, buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                foreach (var (id, location) in range)
                {
                    var plain = source.DecodeBlob(id, location, buffer.AsSpan((int)(location.Offset - start), (int)location.Length));
                    if (await destination.Blobs.SaveAsync(BlobType.Data, id, plain, cancellationToken).ConfigureAwait(false))
                    {
                        copied++;
                        bytes += plain.Length;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return (copied, bytes);
    }

    /// <summary>Blobs sorted by offset, cut into runs that one read each covers without fetching much they do not need.</summary>
    private static IEnumerable<List<(Id Id, BlobLocation Location)>> Ranges(List<(Id Id, BlobLocation Location)> sorted)
    {
        var run = new List<(Id, BlobLocation)>();
        long runStart = 0, runEnd = 0;
        foreach (var blob in sorted)
        {
            var end = (long)blob.Location.Offset + blob.Location.Length;
            if (run.Count > 0 && (blob.Location.Offset - runEnd > MaxGap || end - runStart > MaxRange))
            {
                yield return run;
                run = [];
            }

            if (run.Count == 0)
            {
                runStart = blob.Location.Offset;
                runEnd = end;
            }

            run.Add(blob);
            runEnd = Math.Max(runEnd, end);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }
}
