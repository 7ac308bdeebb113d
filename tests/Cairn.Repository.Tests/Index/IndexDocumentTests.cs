using System.Text;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;
using Cairn.Repository.Json;

namespace Cairn.Repository.Tests.Index;

/// <summary>Index documents read straight into the index (IndexReader, MasterIndex.AddIndexDocument).</summary>
public sealed class IndexDocumentTests
{
    [Fact]
    public void The_reader_gives_every_pack_and_blob_the_document_type_deserializes()
    {
        var random = new Random(7);
        var file = new IndexFile
        {
            Supersedes = [Id.Random()],
            Packs = [.. Enumerable.Range(0, 40).Select(p => new IndexPack(Id.Random(), [.. Enumerable.Range(0, random.Next(0, 30)).Select(b => new IndexBlob
            {
                Id = Id.Random(),
                Type = random.Next(4) == 0 ? "tree" : "data",
                Offset = random.Next(0, int.MaxValue),
                Length = random.Next(33, 9_000_000),
                UncompressedLength = random.Next(2) == 0 ? null : random.Next(1, 9_000_000),
            })]))],
        };
        var json = RepositoryJson.Serialize(file);

        var read = new List<(Id Pack, IndexedBlob[] Blobs)>();
        IndexReader.Read(json, (pack, blobs) => read.Add((pack, blobs.ToArray())));

        read.Select(p => p.Pack).Should().Equal(file.Packs.Select(p => p.Id));
        for (var p = 0; p < read.Count; p++)
        {
            read[p].Blobs.Should().Equal(file.Packs[p].Blobs.Select(b => new IndexedBlob(
                b.Id, BlobTypes.Parse(b.Type), (uint)b.Offset, (uint)b.Length, (uint)(b.UncompressedLength ?? 0))));
        }
    }

    [Fact]
    public void Serializing_into_a_buffer_writer_gives_the_same_bytes_as_into_an_array()
    {
        var file = new IndexFile
        {
            Packs = [new IndexPack(Id.Random(), [new IndexBlob { Id = Id.Random(), Type = "tree", Offset = 0, Length = 77, UncompressedLength = 120 }])],
        };
        var snapshot = new Snapshot { Time = NodeTime.FromUnix(1_700_000_000, 5), Tree = Id.Random(), Paths = ["/q\"uo<te>&"], Hostname = "h", Tags = ["ä"] };

        foreach (var (written, expected) in new[] { (Write(file), RepositoryJson.Serialize(file)), (Write(snapshot), RepositoryJson.Serialize(snapshot)) })
        {
            written.Should().Equal(expected);
        }

        static byte[] Write<T>(T value)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(1);
            RepositoryJson.Serialize(buffer, value);
            return buffer.WrittenSpan.ToArray();
        }
    }

    [Fact]
    public void Properties_in_another_order_unknown_ones_and_nulls_are_read_as_restic_writes_them_or_skipped()
    {
        var pack = Id.Random();
        var blob = Id.Random();
        var json = Encoding.UTF8.GetBytes($$"""
            {"extra": {"nested": [1, {"x": null}]}, "packs": [
              {"blobs": [{"length": 50, "future": [true], "offset": 10, "uncompressed_length": null, "type": "tree", "id": "{{blob}}"},
                         {"id": "{{Id.Random()}}", "offset": 60, "length": 40}],
               "id": "{{pack}}"},
              {"id": "{{Id.Random()}}", "blobs": null}
            ], "supersedes": null}
            """);

        var read = new List<(Id Pack, IndexedBlob[] Blobs)>();
        IndexReader.Read(json, (p, blobs) => read.Add((p, blobs.ToArray())));

        read.Should().HaveCount(2);
        read[0].Pack.Should().Be(pack);
        read[0].Blobs[0].Should().Be(new IndexedBlob(blob, BlobType.Tree, 10, 50, 0));
        read[0].Blobs[1].Type.Should().Be(BlobType.Data, "a blob without a type is data, as the document type reads it");
        read[1].Blobs.Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"packs": [{"blobs": []}]}""", "a pack has no ID")]
    [InlineData("""{"packs": [{"id": "abc", "blobs": []}]}""", "a pack ID is not 64 hexadecimal characters")]
    [InlineData("""{"packs": [{"id": "@P", "blobs": [{"type": "data", "offset": 0, "length": 40}]}]}""", "a blob has no ID")]
    [InlineData("""{"packs": [{"id": "@P", "blobs": [{"id": "@B", "type": "lore", "offset": 0, "length": 40}]}]}""", "unknown blob type 'lore'")]
    [InlineData("""{"packs": [{"id": "@P", "blobs": [{"id": "@B", "type": "data", "offset": -1, "length": 40}]}]}""", "offset is not a length")]
    [InlineData("""{"packs": [{"id": "@P", "blobs": [{"id": "@B", "type": "data", "offset": 0, "length": 4294967296}]}]}""", "length is not a length")]
    [InlineData("""{"packs": {"id": "@P"}}""", "packs is not a list")]
    [InlineData("""[]""", "index is not a JSON object")]
    [InlineData("""{"packs": [{"id": "@P", "blobs": [""", "index is not valid JSON")]
    public void A_document_that_is_not_an_index_is_refused_with_what_is_wrong(string template, string message)
    {
        var json = Encoding.UTF8.GetBytes(template.Replace("@P", Id.Random().ToString()).Replace("@B", Id.Random().ToString()));

        var act = () => IndexReader.Read(json, (_, _) => { });

        act.Should().Throw<FormatException>().WithMessage(message + "*");
    }

    [Fact]
    public void Loaded_blobs_are_found_before_and_after_freezing_and_a_repeat_keeps_the_sorted_location()
    {
        var index = new MasterIndex();
        static string TypeOf(Id id) => id.ToString()[0] < '5' ? "tree" : "data";
        var known = Id.Random();
        while (TypeOf(known) != "data")
        {
            known = Id.Random();
        }

        var firstPack = Id.Random();
        index.Add(BlobType.Data, known, new BlobLocation(firstPack, BlobType.Data, 0, 100, 0));
        index.Freeze();

        var packs = Enumerable.Range(0, 3).Select(_ => Id.Random()).ToArray();
        var ids = Enumerable.Range(0, 3000).Select(_ => Id.Random()).ToArray();
        string Document(int from, int count, Id pack, params Id[] more) => "{\"packs\":[{\"id\":\"" + pack + "\",\"blobs\":[" + string.Join(",",
            ids.Skip(from).Take(count).Concat(more).Select((id, i) => $"{{\"id\":\"{id}\",\"type\":\"{TypeOf(id)}\",\"offset\":{i * 100},\"length\":100}}")) + "]}]}";

        Parallel.Invoke(
            () => index.AddIndexDocument(Id.Random(), Encoding.UTF8.GetBytes(Document(0, 1500, packs[0], known))),
            () => index.AddIndexDocument(Id.Random(), Encoding.UTF8.GetBytes(Document(1000, 2000, packs[1]))),
            () => index.AddIndexDocument(Id.Random(), Encoding.UTF8.GetBytes(Document(2999, 1, packs[2]))));

        index.TryGet(TypeOf(ids[1]) == "tree" ? BlobType.Tree : BlobType.Data, ids[1], out var beforeFreeze).Should().BeTrue("a loaded blob is found before Freeze");
        beforeFreeze.Pack.Should().Be(packs[0]);
        index.Freeze();

        index.Count.Should().Be(1 + ids.Length, "each blob once, however many documents name it");
        index.IndexFiles.Should().HaveCount(3);
        index.TryGet(BlobType.Data, known, out var kept).Should().BeTrue();
        kept.Pack.Should().Be(firstPack, "a blob already in the sorted array keeps its location");
        foreach (var id in ids)
        {
            (index.Has(BlobType.Data, id) || index.Has(BlobType.Tree, id)).Should().BeTrue();
        }

        var firstType = TypeOf(ids[0]) == "tree" ? BlobType.Tree : BlobType.Data;
        index.TryGet(firstType, ids[0], out var first).Should().BeTrue();
        first.Should().Be(new BlobLocation(packs[0], firstType, 0, 100, 0));
        index.All().Should().HaveCount(1 + ids.Length);
    }
}
