using System.Text.Json.Serialization;

namespace Cairn.Repository.Format;

/// <summary>The <c>config</c> file: format version, repository ID, chunker polynomial (docs/format.md, "Config").</summary>
public sealed record RepositoryConfig(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("chunker_polynomial")] string ChunkerPolynomial)
{
    /// <summary>Versions 1 (no compression) and 2 (zstd) are read; new repositories are version 2.</summary>
    public const int LatestVersion = 2;
}
