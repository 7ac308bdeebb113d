using Cairn.Maintenance.Forget;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Inspection;

/// <summary>
/// Picks the snapshots an inspection command works on: the ones named (IDs, unique prefixes or "latest", which
/// honours the filter), or without names every snapshot the filter lets through, oldest first.
/// </summary>
public static class SnapshotSelection
{
    /// <summary>The snapshots named by id or <c>latest</c> (throwing for a name that matches nothing), or every snapshot the filter passes.</summary>
    public static List<(Id Id, Snapshot Snapshot)> Select(IReadOnlyList<(Id Id, Snapshot Snapshot)> all, IReadOnlyList<string> names, SnapshotFilter filter)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(filter);
        var ordered = all.OrderBy(s => s.Snapshot.Time.UnixSeconds).ThenBy(s => s.Snapshot.Time.Nanoseconds).ToList();
        if (names.Count == 0)
        {
            return [.. ordered.Where(s => filter.Matches(s.Snapshot))];
        }

        var selected = new List<(Id, Snapshot)>();
        foreach (var name in names)
        {
            var entry = Resolve(ordered, name, filter);
            if (!selected.Contains(entry))
            {
                selected.Add(entry);
            }
        }

        return selected;
    }

    /// <summary>One snapshot by name; <see cref="SnapshotNotFoundException"/> when none or several match.</summary>
    public static (Id Id, Snapshot Snapshot) Resolve(IReadOnlyList<(Id Id, Snapshot Snapshot)> ordered, string name, SnapshotFilter filter)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(filter);
        if (name == "latest")
        {
            var candidates = ordered.Where(s => filter.Matches(s.Snapshot)).ToList();
            return candidates.Count > 0 ? candidates[^1] : throw new SnapshotNotFoundException("no snapshot found (latest)");
        }

        var matches = ordered.Where(s => s.Id.HasPrefix(name)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new SnapshotNotFoundException($"no snapshot matches ID \"{name}\""),
            _ => throw new SnapshotNotFoundException($"ID prefix \"{name}\" is ambiguous ({matches.Count} snapshots match)"),
        };
    }
}
