using Cairn.Repository.Format;

namespace Cairn.Maintenance.Forget;

/// <summary>
/// What the snapshots of one group share: the host (empty when not grouped by host), and the sorted paths and tags
/// (null when not grouped by them, or when a grouped snapshot has no tags).
/// </summary>
public sealed class SnapshotGroupKey : IEquatable<SnapshotGroupKey>
{
    private SnapshotGroupKey(string host, IReadOnlyList<string>? paths, IReadOnlyList<string>? tags)
    {
        Host = host;
        Paths = paths;
        Tags = tags;
    }

    /// <summary>The group's host name, empty when not grouped by host.</summary>
    public string Host { get; }
    /// <summary>The group's sorted paths; null when not grouped by paths or the snapshot has none.</summary>
    public IReadOnlyList<string>? Paths { get; }
    /// <summary>The group's sorted tags; null when not grouped by tags or the snapshot has none.</summary>
    public IReadOnlyList<string>? Tags { get; }

    /// <summary>The key of the group a snapshot falls in.</summary>
    public static SnapshotGroupKey For(Snapshot snapshot, GroupBy groupBy)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var host = groupBy.HasFlag(GroupBy.Host) ? snapshot.Hostname ?? "" : "";
        var paths = groupBy.HasFlag(GroupBy.Paths) ? Sorted(snapshot.Paths) : null;
        var tags = groupBy.HasFlag(GroupBy.Tags) ? Sorted(snapshot.Tags) : null;
        return new SnapshotGroupKey(host, paths, tags);
    }

    private static List<string>? Sorted(IReadOnlyList<string>? values) =>
        values is null || values.Count == 0 ? null : [.. values.Order(StringComparer.Ordinal)];

    /// <inheritdoc/>
    public bool Equals(SnapshotGroupKey? other) =>
        other is not null && Host == other.Host && Same(Paths, other.Paths) && Same(Tags, other.Tags);

    private static bool Same(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        (a ?? []).SequenceEqual(b ?? [], StringComparer.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SnapshotGroupKey);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Host, StringComparer.Ordinal);
        foreach (var p in Paths ?? [])
        {
            hash.Add(p, StringComparer.Ordinal);
        }

        hash.Add('|');
        foreach (var t in Tags ?? [])
        {
            hash.Add(t, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>As a heading: <c>host [h1], paths [/a, /b], tags [x]</c>; empty when nothing is grouped.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Host.Length > 0)
        {
            parts.Add($"host [{Host}]");
        }

        if (Paths is not null)
        {
            parts.Add($"paths [{string.Join(", ", Paths)}]");
        }

        if (Tags is not null)
        {
            parts.Add($"tags [{string.Join(", ", Tags)}]");
        }

        return string.Join(", ", parts);
    }
}
