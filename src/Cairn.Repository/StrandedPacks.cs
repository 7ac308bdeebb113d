using System.Collections.Concurrent;
using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Repository;

/// <summary>
/// Packs a killed backup stored but never named in an index file (docs/format.md, "Resuming a killed backup"). A
/// backup indexes its packs every 16 packs, so a kill loses up to that many; reading the headers of those packs and
/// writing an index that names them lets the next backup reuse their blobs instead of uploading them again.
/// </summary>
public static class StrandedPacks
{
    /// <summary>
    /// When a stale lock shows an earlier run was killed, indexes the packs no index file names. Without one this
    /// costs a single listing of the locks, so a normal backup does not list every pack of the repository.
    /// </summary>
    public static async Task<StrandedPacksIndexed> IndexIfARunWasKilledAsync(ResticRepository repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var now = repository.Options.Time.GetUtcNow();
        var locks = await RepositoryLock.ListAsync(repository, cancellationToken).ConfigureAwait(false);
        if (!locks.Any(l => RepositoryLock.IsStale(l.File, now, repository.Options.Hostname)))
        {
            return StrandedPacksIndexed.None;
        }

        return await IndexAsync(repository, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the header of every stored pack the loaded index does not name and writes index files naming them. A pack
    /// whose header does not decrypt or does not describe the bytes before it (cut short by a store that does not
    /// write atomically) is left alone: prune removes it as unreferenced.
    /// </summary>
    public static async Task<StrandedPacksIndexed> IndexAsync(ResticRepository repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var indexed = repository.Index.All().Select(static b => b.Location.Pack).ToHashSet();
        var stored = await repository.Store.ListAllAsync(ObjectKind.Pack, cancellationToken).ConfigureAwait(false);
        var stranded = stored.Where(p => Id.TryParse(p.Name.Name, out var id) && !indexed.Contains(id)).ToList();
        if (stranded.Count == 0)
        {
            return StrandedPacksIndexed.None;
        }

        var readable = new ConcurrentBag<(Id Pack, List<PackEntry> Entries, long Size)>();
        await Parallel.ForEachAsync(stranded, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (info, ct) =>
        {
            var pack = Id.Parse(info.Name.Name);
            try
            {
                var entries = await PackFile.ReadHeaderAsync(repository, pack, info.Size, ct).ConfigureAwait(false);
                if (entries.Count > 0 && PackFile.ExpectedSize(entries.Select(e => ToLocation(pack, e))) == info.Size)
                {
                    readable.Add((pack, entries, info.Size));
                }
            }
            catch (Exception e) when (e is CorruptedDataException or ObjectNotFoundException)
            {
            }
        }).ConfigureAwait(false);

        if (readable.IsEmpty)
        {
            return new StrandedPacksIndexed(0, 0, stranded.Count);
        }

        var found = readable.OrderBy(static p => p.Pack).ToList();
        await repository.Blobs.IndexStoredPacksAsync(found.Select(static p => (p.Pack, p.Entries)), cancellationToken).ConfigureAwait(false);
        return new StrandedPacksIndexed(found.Count, found.Sum(static p => p.Size), stranded.Count - found.Count);
    }

    private static BlobLocation ToLocation(Id pack, PackEntry entry) => new(pack, entry.Type, entry.Offset, entry.Length, entry.UncompressedLength);
}

/// <summary>What <see cref="StrandedPacks"/> did: packs indexed and their bytes, and packs left alone as unreadable.</summary>
public readonly record struct StrandedPacksIndexed(int Packs, long Bytes, int Unreadable)
{
    /// <summary>Nothing found.</summary>
    public static StrandedPacksIndexed None => default;
}
