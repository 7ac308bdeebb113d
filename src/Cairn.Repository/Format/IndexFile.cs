using System.Text.Json.Serialization;

namespace Cairn.Repository.Format;

/// <summary>A file in <c>index/</c>: which blobs sit where in which packs (docs/format.md, "Index").</summary>
public sealed record IndexFile
{
    /// <summary>Index files this one replaces (written by prune and rebuild-index).</summary>
    [JsonPropertyName("supersedes")] public IReadOnlyList<Id>? Supersedes { get; init; }
    /// <summary>The packs and the blobs each holds.</summary>
    [JsonPropertyName("packs")] public IReadOnlyList<IndexPack> Packs { get; init; } = [];
}

/// <summary>One pack of an index file (docs/format.md, "Index").</summary>
/// <param name="Id">The pack's id (SHA-256 of the pack file).</param>
/// <param name="Blobs">The blobs in the pack.</param>
public sealed record IndexPack(
    [property: JsonPropertyName("id")] Id Id,
    [property: JsonPropertyName("blobs")] IReadOnlyList<IndexBlob> Blobs);

/// <summary>One blob of an index file's pack (docs/format.md, "Index").</summary>
public sealed record IndexBlob
{
    /// <summary>The blob's id (SHA-256 of its plaintext).</summary>
    [JsonPropertyName("id")] public Id Id { get; init; }
    /// <summary><c>data</c> or <c>tree</c>.</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = "data";
    /// <summary>Where the stored blob starts in the pack.</summary>
    [JsonPropertyName("offset")] public long Offset { get; init; }
    /// <summary>The stored (encrypted, maybe compressed) length.</summary>
    [JsonPropertyName("length")] public long Length { get; init; }
    /// <summary>The plaintext length of a compressed blob; absent when not compressed.</summary>
    [JsonPropertyName("uncompressed_length")] public long? UncompressedLength { get; init; }
}
