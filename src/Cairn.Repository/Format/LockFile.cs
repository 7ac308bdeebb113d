using System.Text.Json.Serialization;

namespace Cairn.Repository.Format;

/// <summary>A file in <c>locks/</c> (docs/format.md, "Locks").</summary>
public sealed record LockFile
{
    /// <summary>When the lock was taken or last refreshed.</summary>
    [JsonPropertyName("time")] public NodeTime Time { get; init; }
    /// <summary>Whether the lock excludes every other lock.</summary>
    [JsonPropertyName("exclusive")] public bool Exclusive { get; init; }
    /// <summary>Host of the process holding the lock.</summary>
    [JsonPropertyName("hostname")] public string? Hostname { get; init; }
    /// <summary>User of the process holding the lock.</summary>
    [JsonPropertyName("username")] public string? Username { get; init; }
    /// <summary>Process id of the holder (a stale lock on the same host is told by it).</summary>
    [JsonPropertyName("pid")] public int Pid { get; init; }
    /// <summary>User id of the holder.</summary>
    [JsonPropertyName("uid")] public uint Uid { get; init; }
    /// <summary>Group id of the holder.</summary>
    [JsonPropertyName("gid")] public uint Gid { get; init; }
}
