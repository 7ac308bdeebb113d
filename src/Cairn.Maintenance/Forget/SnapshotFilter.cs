using Cairn.Repository.Format;

namespace Cairn.Maintenance.Forget;

/// <summary>
/// Which snapshots a command considers (<c>--host</c>, <c>--tag</c>, <c>--path</c>): any of the hosts, any of the tag
/// lists, and every one of the paths (compared as written). An empty criterion lets everything through.
/// </summary>
public sealed record SnapshotFilter
{
    /// <summary>Host names a snapshot must have one of (empty: any).</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];
    /// <summary>Tag lists a snapshot must match one of (empty: any).</summary>
    public IReadOnlyList<TagList> Tags { get; init; } = [];
    /// <summary>Paths a snapshot must contain all of (empty: any).</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>The filter that matches every snapshot.</summary>
    public static SnapshotFilter All { get; } = new();

    /// <summary>Whether the snapshot passes every part of the filter.</summary>
    public bool Matches(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (Hosts.Count > 0 && !Hosts.Contains(snapshot.Hostname ?? "", StringComparer.Ordinal))
        {
            return false;
        }

        if (Tags.Count > 0 && !Tags.Any(t => t.Matches(snapshot.Tags)))
        {
            return false;
        }

        return Paths.All(p => snapshot.Paths.Contains(p, StringComparer.Ordinal));
    }
}
