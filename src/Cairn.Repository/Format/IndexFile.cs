using System.Text.Json.Serialization;

namespace Cairn.Repository.Format;

/// <summary>A file in <c>index/</c>: which blobs sit where in which packs (docs/format.md, "Index").</summary>
public sealed record IndexFile
{
    [JsonPropertyName("supersedes")] public IReadOnlyList<Id>? Supersedes { get; init; }
    [JsonPropertyName("packs")] public IReadOnlyList<IndexPack> Packs { get; init; } = [];
}

public sealed record IndexPack(
    [property: JsonPropertyName("id")] Id Id,
    [property: JsonPropertyName("blobs")] IReadOnlyList<IndexBlob> Blobs);

public sealed record IndexBlob
{
    [JsonPropertyName("id")] public Id Id { get; init; }
    [JsonPropertyName("type")] public string Type { get; init; } = "data";
    [JsonPropertyName("offset")] public long Offset { get; init; }
    [JsonPropertyName("length")] public long Length { get; init; }
    [JsonPropertyName("uncompressed_length")] public long? UncompressedLength { get; init; }
}
