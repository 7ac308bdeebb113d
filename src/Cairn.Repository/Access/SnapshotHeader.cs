namespace Cairn.Repository.Access;

/// <summary>What a snapshot file says of itself (docs/format.md, "Snapshots"), without its tree.</summary>
public sealed record SnapshotHeader(string Id, DateTimeOffset Time, string? Hostname, IReadOnlyList<string> Tags, IReadOnlyList<string> Paths);
