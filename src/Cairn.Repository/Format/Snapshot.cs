using System.Text.Json.Serialization;

namespace Cairn.Repository.Format;

/// <summary>A file in <c>snapshots/</c> (docs/format.md, "Snapshots"). Unknown fields written by newer restic versions are ignored.</summary>
public sealed record Snapshot
{
    /// <summary>When the backup started.</summary>
    [JsonPropertyName("time")] public NodeTime Time { get; init; }
    /// <summary>The snapshot the backup compared against, when any.</summary>
    [JsonPropertyName("parent")] public Id? Parent { get; init; }
    /// <summary>The root tree.</summary>
    [JsonPropertyName("tree")] public Id Tree { get; init; }
    /// <summary>The paths backed up.</summary>
    [JsonPropertyName("paths")] public IReadOnlyList<string> Paths { get; init; } = [];
    /// <summary>The host backed up.</summary>
    [JsonPropertyName("hostname")] public string? Hostname { get; init; }
    /// <summary>The user who ran the backup.</summary>
    [JsonPropertyName("username")] public string? Username { get; init; }
    /// <summary>The user id who ran the backup.</summary>
    [JsonPropertyName("uid")] public uint? Uid { get; init; }
    /// <summary>The group id who ran the backup.</summary>
    [JsonPropertyName("gid")] public uint? Gid { get; init; }
    /// <summary>The exclude patterns used.</summary>
    [JsonPropertyName("excludes")] public IReadOnlyList<string>? Excludes { get; init; }
    /// <summary>The snapshot's tags.</summary>
    [JsonPropertyName("tags")] public IReadOnlyList<string>? Tags { get; init; }
    /// <summary>For a rewritten or copied snapshot, the one it came from.</summary>
    [JsonPropertyName("original")] public Id? Original { get; init; }
    /// <summary>The program and version that wrote the snapshot.</summary>
    [JsonPropertyName("program_version")] public string? ProgramVersion { get; init; }
}
