using Cairn.Maintenance.Forget;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Inspection;

/// <summary>
/// Picks the snapshots a command that works on chosen snapshots (tag, rewrite, copy) takes, as restic does: the ones named by ID, unique
/// prefix or "latest" (which honours the filter), or without names every snapshot the filter lets through. A name
/// that matches nothing, or several, is reported and skipped rather than failing the others.
/// </summary>
public static class NamedOrFilteredSnapshots
{
    /// <summary>The snapshots named by id or <c>latest</c>, or when none is named every snapshot the filter passes; a name that matches nothing is reported, not thrown.</summary>
    public static List<(Id Id, Snapshot Snapshot)> Select(IReadOnlyList<(Id Id, Snapshot Snapshot)> all, IReadOnlyList<string> names,
        SnapshotFilter filter, Action<string> skipped)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(skipped);
        if (names.Count == 0)
        {
            return SnapshotSelection.Select(all, names, filter);
        }

        var ordered = all.OrderBy(s => s.Snapshot.Time.UnixSeconds).ThenBy(s => s.Snapshot.Time.Nanoseconds).ToList();
        var selected = new List<(Id, Snapshot)>();
        foreach (var name in names)
        {
            try
            {
                var entry = SnapshotSelection.Resolve(ordered, name, filter);
                if (!selected.Contains(entry))
                {
                    selected.Add(entry);
                }
            }
            catch (SnapshotNotFoundException e)
            {
                skipped($"Ignoring \"{name}\": {e.Message}");
            }
        }

        return selected;
    }
}
