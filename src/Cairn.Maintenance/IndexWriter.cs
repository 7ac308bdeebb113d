using Cairn.Repository.Format;
using Cairn.Repository.Internal;
using Cairn.Storage;

namespace Cairn.Maintenance;

/// <summary>Writes a complete set of index files for the given packs (used by prune and repair index).</summary>
internal static class IndexWriter
{
    public static async Task<List<Id>> WriteAsync(ResticRepository repository, IReadOnlyDictionary<Id, List<(Id Id, BlobLocation Location)>> packs, CancellationToken cancellationToken)
    {
        var written = new List<Id>();
        var batch = new List<IndexPack>();
        var count = 0;
        foreach (var (packId, blobs) in packs.OrderBy(p => p.Key))
        {
            if (count + blobs.Count > PackAssembler.MaxBlobsPerIndexFile && batch.Count > 0)
            {
                written.Add(await repository.SaveJsonAsync(ObjectKind.Index, new IndexFile { Packs = batch }, cancellationToken).ConfigureAwait(false));
                batch = [];
                count = 0;
            }

            batch.Add(new IndexPack(packId, [.. blobs.Select(b => new IndexBlob
            {
                Id = b.Id,
                Type = b.Location.Type.ToJsonName(),
                Offset = b.Location.Offset,
                Length = b.Location.Length,
                UncompressedLength = b.Location.IsCompressed ? b.Location.UncompressedLength : null,
            })]));
            count += blobs.Count;
        }

        if (batch.Count > 0)
        {
            written.Add(await repository.SaveJsonAsync(ObjectKind.Index, new IndexFile { Packs = batch }, cancellationToken).ConfigureAwait(false));
        }

        return written;
    }
}
