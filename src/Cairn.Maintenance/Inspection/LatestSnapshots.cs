using Cairn.Maintenance.Forget;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Inspection;

/// <summary>
/// <c>snapshots --latest n</c>: the newest n snapshots of each host and set of paths (restic's own key for it, the
/// paths compared as a sorted set), returned oldest first.
/// </summary>
public static class LatestSnapshots
{
    /// <summary>The newest <paramref name="count"/> snapshots of each host and path set, as restic's <c>--latest</c>.</summary>
    public static List<(Id Id, Snapshot Snapshot)> Keep(IEnumerable<(Id Id, Snapshot Snapshot)> snapshots, int count)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var oldestFirst = snapshots.OrderBy(s => s.Snapshot.Time.UnixSeconds).ThenBy(s => s.Snapshot.Time.Nanoseconds).ToList();
        if (count <= 0)
        {
            return oldestFirst;
        }

        var taken = new Dictionary<SnapshotGroupKey, int>();
        var kept = new List<(Id, Snapshot)>();
        for (var i = oldestFirst.Count - 1; i >= 0; i--)
        {
            var key = SnapshotGroupKey.For(oldestFirst[i].Snapshot, GroupBy.Host | GroupBy.Paths);
            var seen = taken.GetValueOrDefault(key);
            if (seen < count)
            {
                taken[key] = seen + 1;
                kept.Add(oldestFirst[i]);
            }
        }

        kept.Reverse();
        return kept;
    }
}
