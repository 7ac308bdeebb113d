using Cairn.Repository.Format;

namespace Cairn.Maintenance.Copy;

/// <summary>
/// The destination's snapshots by persistent ID (their <c>original</c>, or their own ID when they are no copy), to
/// tell which source snapshots were copied already. A source snapshot counts as copied when a destination snapshot
/// shares its persistent ID and matches it in everything but <c>parent</c> and <c>original</c>: restic's rule, so
/// a snapshot copied there and back, or copied by restic, is recognised too.
/// </summary>
internal sealed class CopiedSnapshots
{
    private readonly Dictionary<Id, List<(Id Id, Snapshot Snapshot)>> _byOriginal = [];

    public CopiedSnapshots(IEnumerable<(Id Id, Snapshot Snapshot)> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        foreach (var (id, snapshot) in destination)
        {
            Add(id, snapshot);
        }
    }

    public static Id PersistentId(Id id, Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Original ?? id;
    }

    public void Add(Id id, Snapshot snapshot)
    {
        var key = PersistentId(id, snapshot);
        if (!_byOriginal.TryGetValue(key, out var list))
        {
            _byOriginal[key] = list = [];
        }

        list.Add((id, snapshot));
    }

    /// <summary>The destination snapshot that is a copy of this source snapshot, or null.</summary>
    public Id? FindCopy(Id sourceId, Snapshot source)
    {
        if (!_byOriginal.TryGetValue(PersistentId(sourceId, source), out var candidates))
        {
            return null;
        }

        foreach (var (id, snapshot) in candidates)
        {
            if (AreSimilar(source, snapshot))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>
    /// Equal in everything a copy keeps: time, tree, host, user, IDs, paths and tags (as sets), excludes (in order).
    /// A missing field equals its zero value, as restic omits empty ones.
    /// </summary>
    public static bool AreSimilar(Snapshot a, Snapshot b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Time.SameInstant(b.Time)
            && a.Tree == b.Tree
            && (a.Hostname ?? "") == (b.Hostname ?? "")
            && (a.Username ?? "") == (b.Username ?? "")
            && (a.Uid ?? 0) == (b.Uid ?? 0)
            && (a.Gid ?? 0) == (b.Gid ?? 0)
            && SameSet(a.Paths, b.Paths)
            && SameSet(a.Tags ?? [], b.Tags ?? [])
            && (a.Excludes ?? []).SequenceEqual(b.Excludes ?? [], StringComparer.Ordinal);
    }

    private static bool SameSet(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Count == b.Count && a.All(x => b.Contains(x, StringComparer.Ordinal));
}
