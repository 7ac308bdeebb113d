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
}
