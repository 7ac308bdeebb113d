using System.Collections.Concurrent;
using Cairn.Repository.Format;

namespace Cairn.Repository;

/// <summary>
/// Every blob the repository's index files name, by type and ID, plus the index files it was read from.
/// Rebuilt from the repository at every open; nothing here is stored elsewhere (docs/format.md, "Index").
/// </summary>
public sealed class MasterIndex
{
    private readonly ConcurrentDictionary<Id, BlobLocation> _data = new();
    private readonly ConcurrentDictionary<Id, BlobLocation> _trees = new();
    private readonly ConcurrentDictionary<Id, byte> _indexFiles = new();

    public int Count => _data.Count + _trees.Count;

    public IReadOnlyCollection<Id> IndexFiles => [.. _indexFiles.Keys];

    private ConcurrentDictionary<Id, BlobLocation> For(BlobType type) => type == BlobType.Tree ? _trees : _data;

    public bool Has(BlobType type, Id id) => For(type).ContainsKey(id);

    public bool TryGet(BlobType type, Id id, out BlobLocation location) => For(type).TryGetValue(id, out location);

    public void Add(BlobType type, Id id, BlobLocation location) => For(type).TryAdd(id, location);

    public void AddIndexFile(Id indexId, IndexFile file)
    {
        _indexFiles.TryAdd(indexId, 0);
        foreach (var pack in file.Packs)
        {
            foreach (var blob in pack.Blobs)
            {
                var type = BlobTypes.Parse(blob.Type);
                Add(type, blob.Id, new BlobLocation(pack.Id, type, checked((uint)blob.Offset), checked((uint)blob.Length), checked((uint)(blob.UncompressedLength ?? 0))));
            }
        }
    }

    /// <summary>Replaces the whole content: used by prune and repair after they rewrote the index files.</summary>
    public void Reset(IEnumerable<(Id Id, BlobLocation Location)> blobs, IEnumerable<Id> indexFiles)
    {
        _data.Clear();
        _trees.Clear();
        _indexFiles.Clear();
        foreach (var (id, location) in blobs)
        {
            Add(location.Type, id, location);
        }

        foreach (var file in indexFiles)
        {
            _indexFiles.TryAdd(file, 0);
        }
    }

    public IEnumerable<(Id Id, BlobLocation Location)> All()
    {
        foreach (var (id, loc) in _data)
        {
            yield return (id, loc);
        }

        foreach (var (id, loc) in _trees)
        {
            yield return (id, loc);
        }
    }

    /// <summary>The packs the index names, each with its blobs sorted by offset.</summary>
    public Dictionary<Id, List<(Id Id, BlobLocation Location)>> ByPack()
    {
        var packs = new Dictionary<Id, List<(Id, BlobLocation)>>();
        foreach (var (id, loc) in All())
        {
            if (!packs.TryGetValue(loc.Pack, out var list))
            {
                packs[loc.Pack] = list = [];
            }

            list.Add((id, loc));
        }

        foreach (var list in packs.Values)
        {
            list.Sort(static (a, b) => a.Item2.Offset.CompareTo(b.Item2.Offset));
        }

        return packs;
    }
}
