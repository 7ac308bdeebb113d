using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Maintenance.Repair;

/// <summary>
/// Rebuilds the index from the packs themselves: every pack's header is read and a complete new index written;
/// only then are the old index files removed. Packs whose header cannot be read are reported and left out.
/// </summary>
public sealed class IndexRepairer(ResticRepository repository, Action<string>? report = null)
{
    /// <summary>Rebuilds the index from the pack headers and replaces the old index files.</summary>
    public async Task<(int Packs, int Unreadable, int IndexFiles)> RunAsync(CancellationToken cancellationToken = default)
    {
        var oldIndex = await repository.Files.ListAsync(ObjectKind.Index, cancellationToken).ConfigureAwait(false);
        var packs = await repository.Files.ListAsync(ObjectKind.Pack, cancellationToken).ConfigureAwait(false);
        report?.Invoke($"reading the headers of {packs.Count} packs");
        var result = new Dictionary<Id, List<(Id, BlobLocation)>>();
        var unreadable = 0;
        var gate = new Lock();
        await Parallel.ForEachAsync(packs, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (info, ct) =>
        {
            var packId = Id.Parse(info.Name.Name);
            try
            {
                var header = await PackFile.ReadHeaderAsync(repository, packId, info.Size, ct).ConfigureAwait(false);
                var blobs = header.Select(e => (e.Id, new BlobLocation(packId, e.Type, e.Offset, e.Length, e.UncompressedLength))).ToList();
                lock (gate)
                {
                    result[packId] = blobs;
                }
            }
            catch (Exception e) when (e is RepositoryException or StorageException)
            {
                Interlocked.Increment(ref unreadable);
                report?.Invoke($"pack {packId}: {e.Message}; left out of the index");
            }
        }).ConfigureAwait(false);

        var written = await IndexWriter.WriteAsync(repository, result, cancellationToken).ConfigureAwait(false);
        var keep = written.ToHashSet();
        foreach (var old in oldIndex.Select(i => Id.Parse(i.Name.Name)).Where(i => !keep.Contains(i)))
        {
            await repository.Files.DeleteAsync(ObjectKind.Index, old, cancellationToken).ConfigureAwait(false);
        }

        repository.ReplaceIndex(result.SelectMany(p => p.Value), written);
        return (result.Count, unreadable, written.Count);
    }
}
