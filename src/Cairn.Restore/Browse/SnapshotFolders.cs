using System.Globalization;
using System.Text;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Restore.Browse;

/// <summary>An entry of the folders above the snapshots' own trees.</summary>
public abstract record BrowseEntry;

/// <summary>A folder made up by the mount (the root, snapshots/, hosts/&lt;host&gt;/ ...), dated by its newest snapshot.</summary>
public sealed record VirtualFolder(SortedDictionary<string, BrowseEntry> Children, NodeTime Time) : BrowseEntry;

/// <summary>A symbolic link made up by the mount (<c>latest</c>), relative to its folder.</summary>
public sealed record VirtualLink(string Target, NodeTime Time) : BrowseEntry;

/// <summary>One snapshot's folder: below it, the snapshot's tree.</summary>
public sealed record SnapshotFolder(Id Id, Snapshot Snapshot) : BrowseEntry;

/// <summary>
/// restic's mount layout for a list of snapshots: <c>snapshots/&lt;time&gt;</c>, <c>hosts/&lt;host&gt;/&lt;time&gt;</c>,
/// <c>tags/&lt;tag&gt;/&lt;time&gt;</c> (each with a <c>latest</c> link to the newest) and <c>ids/&lt;short id&gt;</c>.
/// A time is written like Go's "2006-01-02T15:04:05Z07:00" in the snapshot's own offset; snapshots of the same
/// second get "-1", "-2" ... after the first. Host and tag names that cannot be one path element are left out.
/// </summary>
public static class SnapshotFolders
{
    /// <summary>The name of the link to the newest snapshot.</summary>
    public const string LatestLink = "latest";

    /// <summary>Builds the folders restic's <c>mount</c> shows: ids, hosts, tags and snapshots by time.</summary>
    public static VirtualFolder Build(IReadOnlyList<(Id Id, Snapshot Snapshot)> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var ordered = snapshots.OrderBy(s => s.Snapshot.Time.UnixSeconds).ThenBy(s => s.Snapshot.Time.Nanoseconds).ToList();
        var newest = ordered.Count > 0 ? ordered[^1].Snapshot.Time : default;

        var ids = new SortedDictionary<string, BrowseEntry>(StringComparer.Ordinal);
        foreach (var (id, snapshot) in ordered)
        {
            ids[id.Short] = new SnapshotFolder(id, snapshot);
        }

        var hosts = new SortedDictionary<string, BrowseEntry>(StringComparer.Ordinal);
        foreach (var group in ordered.Where(s => IsElement(s.Snapshot.Hostname)).GroupBy(s => s.Snapshot.Hostname!, StringComparer.Ordinal))
        {
            hosts[group.Key] = ByTime([.. group]);
        }

        var tags = new SortedDictionary<string, BrowseEntry>(StringComparer.Ordinal);
        foreach (var tag in ordered.SelectMany(s => s.Snapshot.Tags ?? []).Where(IsElement).Distinct(StringComparer.Ordinal))
        {
            tags[tag] = ByTime([.. ordered.Where(s => s.Snapshot.Tags?.Contains(tag, StringComparer.Ordinal) == true)]);
        }

        var root = new SortedDictionary<string, BrowseEntry>(StringComparer.Ordinal)
        {
            ["hosts"] = new VirtualFolder(hosts, newest),
            ["ids"] = new VirtualFolder(ids, newest),
            ["snapshots"] = ByTime(ordered),
            ["tags"] = new VirtualFolder(tags, newest),
        };
        return new VirtualFolder(root, newest);
    }

    /// <summary>The name of a snapshot's folder: its time as Go formats "2006-01-02T15:04:05Z07:00".</summary>
    public static string TimeName(NodeTime time)
    {
        var local = DateTime.UnixEpoch.AddSeconds(time.UnixSeconds + time.OffsetSeconds);
        var text = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (time.OffsetSeconds == 0)
        {
            return text + "Z";
        }

        var abs = Math.Abs(time.OffsetSeconds);
        return text + string.Create(CultureInfo.InvariantCulture, $"{(time.OffsetSeconds < 0 ? '-' : '+')}{abs / 3600:D2}:{abs / 60 % 60:D2}");
    }

    /// <summary>A folder of snapshots named by time (oldest first, so the first of a second keeps the plain name) and a latest link.</summary>
    private static VirtualFolder ByTime(List<(Id Id, Snapshot Snapshot)> ordered)
    {
        var children = new SortedDictionary<string, BrowseEntry>(StringComparer.Ordinal);
        string? latest = null;
        foreach (var (id, snapshot) in ordered)
        {
            var name = TimeName(snapshot.Time);
            for (var n = 1; children.ContainsKey(name) || name == LatestLink; n++)
            {
                name = string.Create(CultureInfo.InvariantCulture, $"{TimeName(snapshot.Time)}-{n}");
            }

            children[name] = new SnapshotFolder(id, snapshot);
            latest = name;
        }

        var time = ordered.Count > 0 ? ordered[^1].Snapshot.Time : default;
        if (latest is not null)
        {
            children[LatestLink] = new VirtualLink(latest, time);
        }

        return new VirtualFolder(children, time);
    }

    private static bool IsElement(string? name) =>
        name is { Length: > 0 } && name != "." && name != ".." && !name.Contains('/', StringComparison.Ordinal) && !name.Contains('\0', StringComparison.Ordinal)
        && Encoding.UTF8.GetByteCount(name) <= 255;
}
