using BenchmarkDotNet.Attributes;
using Cairn.Bench.Corpus;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Microbench;

/// <summary>
/// Index lookups in a 1-million-blob <see cref="MasterIndex"/>, 4,096 present IDs in random order per invocation,
/// beside the same lookups in a plain <see cref="Dictionary{TKey, TValue}"/> (the limit for a hashed index).
/// </summary>
public class IndexBenchmarks
{
    private const int Blobs = 1_000_000;
    private const int Lookups = 4096;

    private readonly MasterIndex _index = new();
    private readonly Dictionary<Id, BlobLocation> _dictionary = new(Blobs);
    private readonly Id[] _probes = new Id[Lookups];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Xoshiro256StarStar(7);
        Span<byte> bytes = stackalloc byte[Id.Size];
        var ids = new Id[Blobs];
        var pack = Id.Zero;
        for (var i = 0; i < Blobs; i++)
        {
            if (i % 16 == 0)
            {
                rng.Fill(bytes);
                pack = new Id(bytes);
            }

            rng.Fill(bytes);
            ids[i] = new Id(bytes);
            var location = new BlobLocation(pack, BlobType.Data, (uint)(i % 16) << 20, 1 << 20, 0);
            _index.Add(BlobType.Data, ids[i], location);
            _dictionary[ids[i]] = location;
        }

        _index.Freeze();

        for (var i = 0; i < Lookups; i++)
        {
            _probes[i] = ids[rng.Below(Blobs)];
        }
    }

    [Benchmark(Description = "index lookup (MasterIndex.TryGet, 1M blobs)")]
    [Measures(Lookups, MachineLimits.Dictionary, lookups: true)]
    public long MasterIndexTryGet()
    {
        long sum = 0;
        foreach (var id in _probes)
        {
            if (_index.TryGet(BlobType.Data, id, out var location))
            {
                sum += location.Offset;
            }
        }

        return sum;
    }

    [Benchmark(Description = "Dictionary<Id, BlobLocation> lookup, 1M blobs")]
    [Measures(Lookups, MachineLimits.Dictionary, lookups: true)]
    public long DictionaryTryGetValue()
    {
        long sum = 0;
        foreach (var id in _probes)
        {
            if (_dictionary.TryGetValue(id, out var location))
            {
                sum += location.Offset;
            }
        }

        return sum;
    }
}
