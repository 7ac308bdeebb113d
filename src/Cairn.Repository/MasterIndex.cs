using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;

namespace Cairn.Repository;

/// <summary>
/// Every blob the repository's index files name, by type and ID, plus the index files it was read from.
/// Rebuilt from the repository at every open; nothing here is stored elsewhere (docs/format.md, "Index").
/// </summary>
/// <remarks>
/// Memory is what limits big repositories, so blobs live in one sorted array of fixed-size structs per type
/// (48 bytes a blob, pack IDs interned in a table) and are found by binary search without locks. Blobs added
/// since the last <see cref="Freeze"/> sit in a small dictionary, behind a lock, until the next one merges them in.
/// </remarks>
public sealed partial class MasterIndex
{
    private readonly Lock _gate = new();
    private readonly Entry[][] _sorted = [[], []];

    // Per type, where each leading-bits bucket of IDs starts in the sorted array (like a git pack index's fan-out):
    // IDs are uniformly random, so a lookup binary-searches a handful of entries instead of the whole array. The
    // bucket count grows with the array (about 8 blobs a bucket), so a small index pays for a small table.
    private readonly FanOut[] _fanOut = [FanOut.Empty, FanOut.Empty];
    private readonly Dictionary<Id, BlobLocation>[] _recent = [new(), new()];

    // Blobs read from index documents since the last Freeze, in blocks (no large array regrown as they arrive);
    // searched one by one until Freeze sorts them in, which loading calls once at its end.
    private readonly List<Entry[]>[] _loaded = [[], []];
    private readonly int[] _loadedInLastBlock = [0, 0];
    private int _loadedCount;
    private const int LoadedBlock = 1024;
    private readonly Dictionary<Id, int> _packNumbers = [];
    private Id[] _packTable = new Id[64];
    private readonly ConcurrentDictionary<Id, byte> _indexFiles = new();

    /// <summary>Blobs known, each (type, ID) once.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sorted[0].Length + _sorted[1].Length + _recent[0].Count + _recent[1].Count + _loadedCount;
            }
        }
    }

    /// <summary>The index files loaded.</summary>
    public IReadOnlyCollection<Id> IndexFiles => [.. _indexFiles.Keys];

    /// <summary>Whether the index names the blob.</summary>
    public bool Has(BlobType type, Id id) => TryGet(type, id, out _);

    /// <summary>
    /// Lock-free for blobs in the sorted arrays. <see cref="Freeze"/> publishes a merged array before it empties the
    /// recent set, so a lookup that misses the array it read finds the blob in the recent set it reads next.
    /// </summary>
    public bool TryGet(BlobType type, Id id, out BlobLocation location)
    {
        var (sorted, i) = FindFrozen(type, id);
        if (i >= 0)
        {
            location = ToLocation(sorted[i], type);
            return true;
        }

        lock (_gate)
        {
            if (_recent[(int)type].TryGetValue(id, out location))
            {
                return true;
            }

            // Freeze may have moved it between our two reads.
            sorted = _sorted[(int)type];
            i = Find(sorted, id);
            if (i >= 0)
            {
                location = ToLocation(sorted[i], type);
                return true;
            }

            if (_loadedCount > 0 && FindLoaded(type, id) is { } loaded)
            {
                location = ToLocation(loaded, type);
                return true;
            }
        }

        return false;
    }

    private Entry? FindLoaded(BlobType type, Id id)
    {
        var blocks = _loaded[(int)type];
        for (var b = 0; b < blocks.Count; b++)
        {
            var used = b == blocks.Count - 1 ? _loadedInLastBlock[(int)type] : LoadedBlock;
            foreach (var e in blocks[b].AsSpan(0, used))
            {
                if (e.Id == id)
                {
                    return e;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The lock-free lookup in the sorted array. The fan-out is published after its array and checked to belong to
    /// it, so a lookup never pairs a table with an array it was not built for (a stale pair searches the whole array).
    /// </summary>
    internal (Entry[] Sorted, int Index) FindFrozen(BlobType type, Id id)
    {
        var fanOut = Volatile.Read(ref _fanOut[(int)type]);
        var sorted = Volatile.Read(ref _sorted[(int)type]);
        return (sorted, ReferenceEquals(fanOut.Sorted, sorted) ? fanOut.Find(sorted, id) : Find(sorted, id));
    }

    /// <summary>Adds a blob unless it is known already (the first location seen wins).</summary>
    public void Add(BlobType type, Id id, BlobLocation location)
    {
        lock (_gate)
        {
            if (Find(_sorted[(int)type], id) < 0)
            {
                _recent[(int)type].TryAdd(id, location);
            }

            NoteBlob(type, location.Pack);
        }
    }

    /// <summary>Adds the blobs of one index file.</summary>
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

    /// <summary>
    /// Adds the blobs an index document (its bytes, decrypted and decompressed) names, for loading the index: they are
    /// kept in arrival order, so call <see cref="Freeze"/> once the documents are read. Safe from several threads.
    /// </summary>
    /// <exception cref="FormatException">The document is not a valid index.</exception>
    public void AddIndexDocument(Id indexId, ReadOnlySpan<byte> json)
    {
        IndexReader.Read(json, AddLoaded);
        _indexFiles.TryAdd(indexId, 0);
    }

    private void AddLoaded(Id pack, ReadOnlySpan<IndexedBlob> blobs)
    {
        lock (_gate)
        {
            var number = Intern(pack);
            foreach (var blob in blobs)
            {
                var t = (int)blob.Type;
                var blocks = _loaded[t];
                if (blocks.Count == 0 || _loadedInLastBlock[t] == LoadedBlock)
                {
                    blocks.Add(new Entry[LoadedBlock]);
                    _loadedInLastBlock[t] = 0;
                }

                blocks[^1][_loadedInLastBlock[t]++] = new Entry(blob.Id, number, blob.Offset, blob.Length, blob.UncompressedLength);
                _loadedCount++;
                NoteBlob(blob.Type, pack);
            }
        }
    }

    /// <summary>Merges recently added blobs into the sorted arrays; call after loading index files or a large batch.</summary>
    /// <remarks>A blob named twice keeps one location: the one already in the sorted array, else any one of the new.</remarks>
    public void Freeze()
    {
        lock (_gate)
        {
            for (var t = 0; t < 2; t++)
            {
                var recent = _recent[t];
                var loaded = _loaded[t];
                var loadedCount = loaded.Count == 0 ? 0 : ((loaded.Count - 1) * LoadedBlock) + _loadedInLastBlock[t];
                if (recent.Count == 0 && loadedCount == 0)
                {
                    continue;
                }

                var added = new Entry[recent.Count + loadedCount];
                var n = 0;
                foreach (var (id, location) in recent)
                {
                    added[n++] = new Entry(id, Intern(location.Pack), location.Offset, location.Length, location.UncompressedLength);
                }

                for (var b = 0; b < loaded.Count; b++)
                {
                    var used = b == loaded.Count - 1 ? _loadedInLastBlock[t] : LoadedBlock;
                    loaded[b].AsSpan(0, used).CopyTo(added.AsSpan(n));
                    n += used;
                }

                Array.Sort(added, static (a, b) => a.Id.CompareTo(b.Id));
                var merged = Merge(_sorted[t], added);
                Volatile.Write(ref _sorted[t], merged);
                Volatile.Write(ref _fanOut[t], FanOut.Build(merged));

                // A new, small set rather than Clear(), which would keep the large bucket arrays alive.
                _recent[t] = [];
                _loaded[t] = [];
                _loadedInLastBlock[t] = 0;
            }

            _loadedCount = 0;
        }
    }

    /// <summary>The sorted union of two sorted arrays without repeated IDs; an ID in <paramref name="old"/> keeps its entry.</summary>
    private static Entry[] Merge(Entry[] old, Entry[] added)
    {
        // Repeats within the new entries first (several index files may name a blob), in place.
        var unique = 0;
        for (var j = 0; j < added.Length; j++)
        {
            if (unique == 0 || added[j].Id != added[unique - 1].Id)
            {
                added[unique++] = added[j];
            }
        }

        var fresh = 0;
        for (int i = 0, j = 0; j < unique; j++)
        {
            while (i < old.Length && old[i].Id.CompareTo(added[j].Id) < 0)
            {
                i++;
            }

            if (i == old.Length || old[i].Id != added[j].Id)
            {
                fresh++;
            }
        }

        var merged = new Entry[old.Length + fresh];
        int o = 0, a = 0, m = 0;
        while (o < old.Length || a < unique)
        {
            if (a == unique || (o < old.Length && old[o].Id.CompareTo(added[a].Id) <= 0))
            {
                if (a < unique && old[o].Id == added[a].Id)
                {
                    a++;
                }

                merged[m++] = old[o++];
            }
            else
            {
                merged[m++] = added[a++];
            }
        }

        return merged;
    }

    /// <summary>
    /// Replaces the whole content. Callers outside the repository go through <see cref="ResticRepository.ReloadIndexAsync(CancellationToken)"/>
    /// or <see cref="ResticRepository.ReplaceIndex"/>.
    /// </summary>
    internal void Reset(IEnumerable<(Id Id, BlobLocation Location)> blobs, IEnumerable<Id> indexFiles)
    {
        lock (_gate)
        {
            _sorted[0] = [];
            _sorted[1] = [];
            _recent[0].Clear();
            _recent[1].Clear();
            _loaded[0] = [];
            _loaded[1] = [];
            _loadedInLastBlock[0] = _loadedInLastBlock[1] = _loadedCount = 0;
            _treePacks = null;
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

        Freeze();
    }

    /// <summary>Every blob with its location.</summary>
    public IEnumerable<(Id Id, BlobLocation Location)> All()
    {
        for (var t = 0; t < 2; t++)
        {
            var type = (BlobType)t;
            foreach (var e in Volatile.Read(ref _sorted[t]))
            {
                yield return (e.Id, ToLocation(e, type));
            }

            KeyValuePair<Id, BlobLocation>[] recent;
            Entry[] loaded;
            lock (_gate)
            {
                recent = [.. _recent[t]];
                loaded = [.. _loaded[t].SelectMany((block, b) => block.Take(b == _loaded[t].Count - 1 ? _loadedInLastBlock[t] : LoadedBlock))];
            }

            foreach (var (id, location) in recent)
            {
                yield return (id, location);
            }

            foreach (var e in loaded)
            {
                yield return (e.Id, ToLocation(e, type));
            }
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

    private int Intern(Id pack)
    {
        if (!_packNumbers.TryGetValue(pack, out var n))
        {
            n = _packNumbers.Count;
            var table = _packTable;
            if (n == table.Length)
            {
                Array.Resize(ref table, table.Length * 2);
            }

            table[n] = pack;
            Volatile.Write(ref _packTable, table);
            _packNumbers[pack] = n;
        }

        return n;
    }

    /// <summary>Lock-free: an entry is published only after its pack is in the table.</summary>
    private BlobLocation ToLocation(in Entry e, BlobType type) =>
        new(Volatile.Read(ref _packTable)[e.Pack], type, e.Offset, e.Length, e.UncompressedLength);

    private static int Find(Entry[] sorted, Id id) => Find(sorted, id, 0, sorted.Length - 1);

    private static int Find(Entry[] sorted, Id id, int lo, int hi)
    {
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var c = sorted[mid].Id.CompareTo(id);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>Bucket starts by the IDs' leading bits, for one sorted array.</summary>
    private sealed class FanOut
    {
        public static readonly FanOut Empty = new([], 1, [0, 0, 0]);

        private readonly int _shift;
        private readonly int[] _starts;

        private FanOut(Entry[] sorted, int bits, int[] starts)
        {
            Sorted = sorted;
            _shift = 64 - bits;
            _starts = starts;
        }

        public Entry[] Sorted { get; }

        public static FanOut Build(Entry[] sorted)
        {
            var bits = Math.Clamp(64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)sorted.Length) - 3, 1, 20);
            var buckets = 1 << bits;
            var starts = new int[buckets + 1];
            var shift = 64 - bits;
            var e = 0;
            for (var b = 0; b < buckets; b++)
            {
                starts[b] = e;
                while (e < sorted.Length && (int)(sorted[e].Id.Prefix >> shift) == b)
                {
                    e++;
                }
            }

            starts[buckets] = sorted.Length;
            return new FanOut(sorted, bits, starts);
        }

        public int Find(Entry[] sorted, Id id)
        {
            var bucket = (int)(id.Prefix >> _shift);
            return MasterIndex.Find(sorted, id, _starts[bucket], _starts[bucket + 1] - 1);
        }
    }

    /// <summary>One blob: its ID, the number of its pack in the pack table, and where it sits there.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal readonly record struct Entry(Id Id, int Pack, uint Offset, uint Length, uint UncompressedLength);
}
