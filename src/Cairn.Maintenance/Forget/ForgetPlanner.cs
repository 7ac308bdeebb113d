using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Forget;

/// <summary>Filters snapshots, groups them and applies a <see cref="KeepPolicy"/> to each group.</summary>
public static class ForgetPlanner
{
    /// <summary>The decisions, one per group, groups ordered by their key so output is stable.</summary>
    public static IReadOnlyList<GroupDecision> Plan(
        IEnumerable<(Id Id, Snapshot Snapshot)> snapshots, SnapshotFilter filter, GroupBy groupBy, KeepPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(policy);
        return [.. Group(snapshots.Where(s => filter.Matches(s.Snapshot)), groupBy)
            .Select(g => policy.Apply(g.Key, g.Snapshots, now))];
    }

    /// <summary>Groups snapshots by the key <paramref name="groupBy"/> selects, as <c>forget</c> applies a policy per group.</summary>
    public static IReadOnlyList<(SnapshotGroupKey Key, IReadOnlyList<(Id Id, Snapshot Snapshot)> Snapshots)> Group(
        IEnumerable<(Id Id, Snapshot Snapshot)> snapshots, GroupBy groupBy)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var groups = new Dictionary<SnapshotGroupKey, List<(Id, Snapshot)>>();
        foreach (var entry in snapshots)
        {
            var key = SnapshotGroupKey.For(entry.Snapshot, groupBy);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(entry);
        }

        return [.. groups
            .OrderBy(g => g.Key.ToString(), StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<(Id, Snapshot)>)g.Value))];
    }
}
