using System.Diagnostics;
using Cairn.Bench.Corpus;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Bench;

/// <summary>
/// Bytes per blob of cairn's in-memory index (<see cref="MasterIndex"/>) holding a given number of blobs, measured
/// in this process through its public API only: managed heap after a full collection, before and after adding.
/// Blobs get random IDs; one tree blob in ten, about 16 blobs per pack (1 MiB chunks in 16 MiB packs).
/// </summary>
internal static class IndexMemory
{
    public static IndexMemoryResult Measure(int blobs, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blobs, 1);
        var stopwatch = Stopwatch.StartNew();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var index = new MasterIndex();
        Fill(index, blobs, seed);
        index.Freeze(); // as after loading index files: everything in the compact sorted arrays
        var fillSeconds = stopwatch.Elapsed.TotalSeconds;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var heap = GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;

        // Every entry must be found again, or the number would describe a broken index.
        stopwatch.Restart();
        var found = 0;
        var rng = new Xoshiro256StarStar(seed);
        Span<byte> bytes = stackalloc byte[Id.Size];
        for (var i = 0; i < blobs; i++)
        {
            var (type, id, location) = Next(rng, bytes, i);
            if (index.TryGet(type, id, out var got) && got == location)
            {
                found++;
            }
        }

        var lookupSeconds = stopwatch.Elapsed.TotalSeconds;
        var count = index.Count;
        GC.KeepAlive(index);
        return new IndexMemoryResult(blobs, count, found, after - before, (double)(after - before) / blobs, heap, fillSeconds, lookupSeconds);
    }

    private static void Fill(MasterIndex index, int blobs, ulong seed)
    {
        var rng = new Xoshiro256StarStar(seed);
        Span<byte> bytes = stackalloc byte[Id.Size];
        for (var i = 0; i < blobs; i++)
        {
            var (type, id, location) = Next(rng, bytes, i);
            index.Add(type, id, location);
        }
    }

    private static (BlobType Type, Id Id, BlobLocation Location) Next(Xoshiro256StarStar rng, Span<byte> bytes, int i)
    {
        rng.Fill(bytes);
        var id = new Id(bytes);
        // Pack IDs derive from the blob number so a repeated pass reproduces them without a table.
        var packRng = new Xoshiro256StarStar((ulong)(i / 16) + 0x9ACCUL);
        packRng.Fill(bytes);
        var pack = new Id(bytes);
        var type = i % 10 == 0 ? BlobType.Tree : BlobType.Data;
        var length = (uint)(rng.Next() % (4u << 20)) + 64;
        return (type, id, new BlobLocation(pack, type, (uint)(i % 16) * (1u << 20), length, length + (uint)(rng.Next() % 4096)));
    }
}

internal sealed record IndexMemoryResult(int Blobs, int Count, int Found, long Bytes, double BytesPerBlob, long HeapSizeBytes, double FillSeconds, double LookupSeconds);
