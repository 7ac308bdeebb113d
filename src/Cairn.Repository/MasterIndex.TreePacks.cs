using Cairn.Repository.Format;

namespace Cairn.Repository;

/// <summary>Which packs hold tree blobs: the packs a local cache keeps (restic caches the same).</summary>
public sealed partial class MasterIndex
{
    // Built on first use, then kept current as blobs arrive; guarded by _gate. Null until asked for or after a reset.
    private HashSet<Id>? _treePacks;

    /// <summary>Whether any tree blob the index names lies in <paramref name="pack"/>.</summary>
    public bool HoldsTrees(Id pack)
    {
        lock (_gate)
        {
            _treePacks ??= CollectTreePacks();
            return _treePacks.Contains(pack);
        }
    }

    /// <summary>Called under _gate for every blob that arrives.</summary>
    private void NoteBlob(BlobType type, Id pack)
    {
        if (type == BlobType.Tree)
        {
            _treePacks?.Add(pack);
        }
    }

    private HashSet<Id> CollectTreePacks()
    {
        const int Tree = (int)BlobType.Tree;
        var table = _packTable;
        var packs = new HashSet<Id>();
        foreach (var e in _sorted[Tree])
        {
            packs.Add(table[e.Pack]);
        }

        foreach (var location in _recent[Tree].Values)
        {
            packs.Add(location.Pack);
        }

        var blocks = _loaded[Tree];
        for (var b = 0; b < blocks.Count; b++)
        {
            var used = b == blocks.Count - 1 ? _loadedInLastBlock[Tree] : LoadedBlock;
            foreach (var e in blocks[b].AsSpan(0, used))
            {
                packs.Add(table[e.Pack]);
            }
        }

        return packs;
    }
}
