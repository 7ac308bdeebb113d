using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Repository.Tests.Index;

public sealed class MasterIndexTests
{
    private static BlobLocation At(Id pack, BlobType type, uint offset) => new(pack, type, offset, 100, 0);

    [Fact]
    public void Blobs_are_found_before_and_after_freezing_and_types_are_kept_apart()
    {
        var index = new MasterIndex();
        var pack = Id.Random();
        var ids = Enumerable.Range(0, 1000).Select(_ => Id.Random()).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            index.Add(BlobType.Data, ids[i], At(pack, BlobType.Data, (uint)i * 100));
        }

        index.TryGet(BlobType.Data, ids[500], out var before).Should().BeTrue();
        index.Freeze();
        index.TryGet(BlobType.Data, ids[500], out var after).Should().BeTrue();
        after.Should().Be(before);
        after.Pack.Should().Be(pack);
        after.Offset.Should().Be(50_000u);
        index.Has(BlobType.Tree, ids[500]).Should().BeFalse();
        index.Has(BlobType.Data, Id.Random()).Should().BeFalse();
        index.Count.Should().Be(1000);
    }

    [Fact]
    public void The_first_location_of_a_blob_wins_across_freezes()
    {
        var index = new MasterIndex();
        var id = Id.Random();
        var first = Id.Random();
        index.Add(BlobType.Tree, id, At(first, BlobType.Tree, 0));
        index.Freeze();
        index.Add(BlobType.Tree, id, At(Id.Random(), BlobType.Tree, 7));
        index.Freeze();
        index.TryGet(BlobType.Tree, id, out var location).Should().BeTrue();
        location.Pack.Should().Be(first);
        index.Count.Should().Be(1);
    }

    [Fact]
    public void Blobs_added_from_many_threads_while_reading_are_all_found()
    {
        var index = new MasterIndex();
        var packs = Enumerable.Range(0, 300).Select(_ => Id.Random()).ToArray();
        var ids = Enumerable.Range(0, 20_000).Select(_ => Id.Random()).ToArray();
        Parallel.For(0, ids.Length, i =>
        {
            index.Add(BlobType.Data, ids[i], At(packs[i % packs.Length], BlobType.Data, (uint)i));
            if (i % 5000 == 0)
            {
                index.Freeze();
            }
        });
        index.Freeze();
        for (var i = 0; i < ids.Length; i++)
        {
            index.TryGet(BlobType.Data, ids[i], out var loc).Should().BeTrue();
            loc.Pack.Should().Be(packs[i % packs.Length]);
            loc.Offset.Should().Be((uint)i);
        }

        index.ByPack().Should().HaveCount(packs.Length);
    }

    [Fact]
    public void Finds_exactly_the_blobs_it_holds_at_every_size_and_at_the_edges_of_the_id_space()
    {
        // Lookups go through a fan-out of the IDs' leading bits whose size follows the array's; crafted IDs put
        // blobs at the smallest and largest IDs, in crowded and empty buckets, and absent IDs right next to present ones.
        var index = new MasterIndex();
        var pack = Id.Random();
        var held = new Dictionary<Id, uint>();
        var random = new Random(11);
        var bytes = new byte[32];
        Id Make(byte first, byte second)
        {
            random.NextBytes(bytes);
            bytes[0] = first;
            bytes[1] = second;
            return new Id(bytes);
        }

        var candidates = new List<Id> { new(new byte[32]), new(Enumerable.Repeat((byte)0xFF, 32).ToArray()) };
        uint offset = 0;
        foreach (var round in new[] { 3, 40, 700, 9000 })
        {
            for (var i = 0; i < round; i++)
            {
                // Half the IDs crowd into two leading bytes, the rest spread over all of them.
                var id = i % 2 == 0 ? Make((byte)(i % 3 == 0 ? 0x00 : 0xFF), (byte)random.Next(4)) : Make((byte)random.Next(256), (byte)random.Next(256));
                candidates.Add(id);
            }

            foreach (var id in candidates.Where(c => !held.ContainsKey(c)).Where((_, k) => k % 2 == 0).ToList())
            {
                index.Add(BlobType.Data, id, At(pack, BlobType.Data, offset));
                held[id] = offset++;
            }

            index.Freeze();
            foreach (var id in candidates)
            {
                var found = index.TryGet(BlobType.Data, id, out var location);
                found.Should().Be(held.ContainsKey(id), $"ID {id} after a round of {round}");
                (index.FindFrozen(BlobType.Data, id).Index >= 0).Should().Be(found, "a frozen blob is found without the lock");
                if (found)
                {
                    location.Offset.Should().Be(held[id]);
                }
            }
        }

        held.Count.Should().BeGreaterThan(4000);
    }
}
