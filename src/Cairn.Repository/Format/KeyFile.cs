using System.Text.Json.Serialization;

namespace Cairn.Repository.Format;

/// <summary>A file in <c>keys/</c>: scrypt parameters and the master key encrypted with the derived key (docs/format.md, "Keys").</summary>
public sealed record KeyFile
{
    [JsonPropertyName("created")] public NodeTime Created { get; init; }
    [JsonPropertyName("username")] public string? Username { get; init; }
    [JsonPropertyName("hostname")] public string? Hostname { get; init; }
    [JsonPropertyName("kdf")] public string Kdf { get; init; } = "scrypt";
    [JsonPropertyName("N")] public int N { get; init; }
    [JsonPropertyName("r")] public int R { get; init; }
    [JsonPropertyName("p")] public int P { get; init; }
    [JsonPropertyName("salt")] public byte[] Salt { get; init; } = [];
    [JsonPropertyName("data")] public byte[] Data { get; init; } = [];
}

/// <summary>The decrypted <c>data</c> of a key file: the repository's master keys.</summary>
public sealed record MasterKeyJson(
    [property: JsonPropertyName("mac")] MacKeyJson Mac,
    [property: JsonPropertyName("encrypt")] byte[] Encrypt);

public sealed record MacKeyJson(
    [property: JsonPropertyName("k")] byte[] K,
    [property: JsonPropertyName("r")] byte[] R);
