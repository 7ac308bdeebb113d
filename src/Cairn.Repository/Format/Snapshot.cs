using System.Text.Json.Serialization;

namespace Cairn.Repository.Format;

/// <summary>A file in <c>snapshots/</c> (docs/format.md, "Snapshots"). Unknown fields written by newer restic versions are ignored.</summary>
public sealed record Snapshot
{
    [JsonPropertyName("time")] public NodeTime Time { get; init; }
    [JsonPropertyName("parent")] public Id? Parent { get; init; }
    [JsonPropertyName("tree")] public Id Tree { get; init; }
    [JsonPropertyName("paths")] public IReadOnlyList<string> Paths { get; init; } = [];
    [JsonPropertyName("hostname")] public string? Hostname { get; init; }
    [JsonPropertyName("username")] public string? Username { get; init; }
    [JsonPropertyName("uid")] public uint? Uid { get; init; }
    [JsonPropertyName("gid")] public uint? Gid { get; init; }
    [JsonPropertyName("excludes")] public IReadOnlyList<string>? Excludes { get; init; }
    [JsonPropertyName("tags")] public IReadOnlyList<string>? Tags { get; init; }
    [JsonPropertyName("original")] public Id? Original { get; init; }
    [JsonPropertyName("program_version")] public string? ProgramVersion { get; init; }
}
