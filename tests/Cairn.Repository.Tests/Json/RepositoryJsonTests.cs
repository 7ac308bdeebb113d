using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cairn.Repository.Format;
using Cairn.Repository.Json;

namespace Cairn.Repository.Tests.Json;

/// <summary>
/// ResticRepository documents go through compile-time metadata (for the Native AOT CLI); their bytes must stay exactly what
/// reflection-based System.Text.Json wrote with the same options: same names, order, null omission and escaping.
/// </summary>
public sealed class RepositoryJsonTests
{
    private static readonly JsonSerializerOptions s_reflection =
        new(RepositoryJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private static readonly Id s_a = Id.Hash("a"u8);
    private static readonly Id s_b = Id.Hash("b"u8);
    private static readonly NodeTime s_time = NodeTime.Parse("2024-05-06T07:08:09.123456789+02:00");

    private static void ShouldMatchReflection<T>(T document)
    {
        var generated = RepositoryJson.Serialize(document);
        Encoding.UTF8.GetString(generated).Should().Be(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(document, s_reflection)));
        RepositoryJson.Deserialize<T>(generated, "test").Should().BeEquivalentTo(document);
    }

    [Fact]
    public void A_full_snapshot_and_a_bare_one_serialize_as_reflection_did()
    {
        ShouldMatchReflection(new Snapshot
        {
            Time = s_time,
            Parent = s_a,
            Tree = s_b,
            Paths = ["/home/ünï", "/tmp/<&>\"quoted\""],
            Hostname = "host",
            Username = "user",
            Uid = 1000,
            Gid = 100,
            Excludes = ["*.tmp"],
            Tags = ["a", "b"],
            Original = s_a,
            ProgramVersion = "cairn 0.1.0",
        });
        ShouldMatchReflection(new Snapshot { Time = s_time, Tree = s_b, Paths = ["/"] });
    }

    [Fact]
    public void Keys_config_index_and_locks_serialize_as_reflection_did()
    {
        ShouldMatchReflection(new RepositoryConfig(2, s_a.ToString(), "3da3358b4dc173"));
        ShouldMatchReflection(new KeyFile { Created = s_time, Username = "u", Hostname = "h", N = 32768, R = 8, P = 1, Salt = [1, 2, 3], Data = [4, 5] });
        ShouldMatchReflection(new KeyFile { Created = s_time, N = 2, R = 1, P = 1 });
        ShouldMatchReflection(new MasterKeyJson(new MacKeyJson([1, 2], [3, 4]), [5, 6]));
        ShouldMatchReflection(new IndexFile
        {
            Supersedes = [s_a],
            Packs = [new IndexPack(s_b, [new IndexBlob { Id = s_a, Type = "tree", Offset = 0, Length = 100, UncompressedLength = 300 }, new IndexBlob { Id = s_b, Offset = 100, Length = 50 }])],
        });
        ShouldMatchReflection(new LockFile { Time = s_time, Exclusive = true, Hostname = "h", Username = "u", Pid = 42, Uid = 1, Gid = 2 });
    }

    [Fact]
    public void Documents_keep_restics_names_in_order()
    {
        Encoding.UTF8.GetString(RepositoryJson.Serialize(new Snapshot { Time = s_time, Parent = s_a, Tree = s_b, Paths = ["/x"], Hostname = "h", ProgramVersion = "p" }))
            .Should().Be($$"""{"time":"2024-05-06T07:08:09.123456789+02:00","parent":"{{s_a}}","tree":"{{s_b}}","paths":["/x"],"hostname":"h","program_version":"p"}""");
        Encoding.UTF8.GetString(RepositoryJson.Serialize(new IndexFile { Packs = [new IndexPack(s_b, [new IndexBlob { Id = s_a, Offset = 7, Length = 9 }])] }))
            .Should().Be($$"""{"packs":[{"id":"{{s_b}}","blobs":[{"id":"{{s_a}}","type":"data","offset":7,"length":9}]}]}""");
    }

    [Fact]
    public void A_type_that_is_not_a_repository_document_is_refused_rather_than_reflected()
    {
        var act = () => RepositoryJson.Serialize(new Uri("https://example.org"));
        act.Should().Throw<NotSupportedException>();
    }
}
