using Cairn.Repository.Format;

namespace Cairn.Maintenance.Forget;

/// <summary>
/// Which snapshots a command considers (<c>--host</c>, <c>--tag</c>, <c>--path</c>): any of the hosts, any of the tag
/// lists, and every one of the paths (compared as written). An empty criterion lets everything through.
/// </summary>
public sealed record SnapshotFilter
{
    public IReadOnlyList<string> Hosts { get; init; } = [];
    public IReadOnlyList<TagList> Tags { get; init; } = [];
    public IReadOnlyList<string> Paths { get; init; } = [];

    public static SnapshotFilter All { get; } = new();

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
