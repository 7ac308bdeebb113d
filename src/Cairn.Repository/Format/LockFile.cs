using System.Text.Json.Serialization;

namespace Cairn.Repository.Format;

/// <summary>A file in <c>locks/</c> (docs/format.md, "Locks").</summary>
public sealed record LockFile
{
    [JsonPropertyName("time")] public NodeTime Time { get; init; }
    [JsonPropertyName("exclusive")] public bool Exclusive { get; init; }
    [JsonPropertyName("hostname")] public string? Hostname { get; init; }
    [JsonPropertyName("username")] public string? Username { get; init; }
    [JsonPropertyName("pid")] public int Pid { get; init; }
    [JsonPropertyName("uid")] public uint Uid { get; init; }
    [JsonPropertyName("gid")] public uint Gid { get; init; }
}
