using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Maintenance;

/// <summary>
/// What the index files say, per pack: every blob each pack holds (a blob listed twice for one pack counts once),
/// and which index files said it. Check and prune read it; it also fills the repository's in-memory index.
/// </summary>
internal sealed class IndexedPacks
{
    private IndexedPacks(Dictionary<Id, Dictionary<(BlobType Type, Id Id), BlobLocation>> packs, List<ObjectInfo> files)
    {
        Packs = packs;
        Files = files;
    }

    public IReadOnlyDictionary<Id, Dictionary<(BlobType Type, Id Id), BlobLocation>> Packs { get; }

    /// <summary>The index files read (damaged ones included).</summary>
    public IReadOnlyList<ObjectInfo> Files { get; }

    /// <summary>
    /// Reads every index file. A file that cannot be read goes to <paramref name="onError"/>, or is thrown when
    /// there is none (prune must not decide on a partial picture).
    /// </summary>
    public static async Task<IndexedPacks> LoadAsync(ResticRepository repository, Action<ObjectName, Exception>? onError, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var files = await repository.Files.ListAsync(ObjectKind.Index, cancellationToken).ConfigureAwait(false);
        var packs = new Dictionary<Id, Dictionary<(BlobType, Id), BlobLocation>>();
        foreach (var info in files)
        {
            IndexFile file;
            try
            {
                file = await repository.LoadJsonAsync<IndexFile>(info.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (onError is not null && e is RepositoryException or StorageException)
            {
                onError(info.Name, e);
                continue;
            }

            repository.Index.AddIndexFile(Id.Parse(info.Name.Name), file);
            foreach (var pack in file.Packs)
            {
                if (!packs.TryGetValue(pack.Id, out var blobs))
                {
                    packs[pack.Id] = blobs = [];
                }

                foreach (var b in pack.Blobs)
                {
                    var type = BlobTypes.Parse(b.Type);
                    blobs.TryAdd((type, b.Id), new BlobLocation(pack.Id, type, checked((uint)b.Offset), checked((uint)b.Length), checked((uint)(b.UncompressedLength ?? 0))));
                }
            }
        }

        repository.Index.Freeze();
        return new IndexedPacks(packs, files);
    }
}
