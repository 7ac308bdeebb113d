using System.Text.Json.Serialization;

namespace Cairn.Repository.Format;

/// <summary>A file in <c>keys/</c>: scrypt parameters and the master key encrypted with the derived key (docs/format.md, "Keys").</summary>
public sealed record KeyFile
{
    /// <summary>When the key was added.</summary>
    [JsonPropertyName("created")] public NodeTime Created { get; init; }
    /// <summary>User who added the key.</summary>
    [JsonPropertyName("username")] public string? Username { get; init; }
    /// <summary>Host the key was added on.</summary>
    [JsonPropertyName("hostname")] public string? Hostname { get; init; }
    /// <summary>The key derivation function; always <c>scrypt</c>.</summary>
    [JsonPropertyName("kdf")] public string Kdf { get; init; } = "scrypt";
    /// <summary>Scrypt's cost parameter N.</summary>
    [JsonPropertyName("N")] public int N { get; init; }
    /// <summary>Scrypt's block size r.</summary>
    [JsonPropertyName("r")] public int R { get; init; }
    /// <summary>Scrypt's parallelism p.</summary>
    [JsonPropertyName("p")] public int P { get; init; }
    /// <summary>Scrypt's salt.</summary>
    [JsonPropertyName("salt")] public byte[] Salt { get; init; } = [];
    /// <summary>The master key, encrypted with the derived key (docs/format.md, "Keys").</summary>
    [JsonPropertyName("data")] public byte[] Data { get; init; } = [];
}

/// <summary>The decrypted <c>data</c> of a key file: the repository's master keys.</summary>
public sealed record MasterKeyJson(
    [property: JsonPropertyName("mac")] MacKeyJson Mac,
    [property: JsonPropertyName("encrypt")] byte[] Encrypt);

/// <summary>The MAC key inside the master key JSON.</summary>
/// <param name="K">Poly1305-AES key k.</param>
/// <param name="R">Poly1305-AES key r.</param>
public sealed record MacKeyJson(
    [property: JsonPropertyName("k")] byte[] K,
    [property: JsonPropertyName("r")] byte[] R);
