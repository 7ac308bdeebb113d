using Cairn.Maintenance.Forget;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Cli.Commands;

/// <summary>
/// The table <c>snapshots</c> prints, laid out as restic 0.14's: columns two spaces apart and as wide as their
/// widest cell; in the full form host and tags take at least 10 columns, tags are joined by commas and each path
/// has its own line (with an empty line between snapshots once any has several paths); the compact form drops
/// the paths and puts each tag on its own line, in a tags column of at least 6.
/// </summary>
internal static class SnapshotTable
{
    public static void Print(IReadOnlyList<(Id Id, Snapshot Snapshot)> snapshots, bool compact, Output output)
    {
        string[] headers = compact ? ["ID", "Time", "Host", "Tags"] : ["ID", "Time", "Host", "Tags", "Paths"];
        int[] minimums = compact ? [0, 0, 0, 6] : [0, 0, 10, 10, 0];
        var rows = snapshots.Select(s => Cells(s.Id, s.Snapshot, compact)).ToList();
        var widths = headers.Select((h, c) => Math.Max(Math.Max(h.Length, minimums[c]),
            rows.SelectMany(r => r[c]).Select(l => l.Length).DefaultIfEmpty(0).Max())).ToArray();
        var separator = new string('-', widths.Sum() + 2 * (widths.Length - 1));
        var spaced = !compact && snapshots.Any(s => s.Snapshot.Paths.Count > 1);

        output.Result(Line(headers, widths));
        output.Result(separator);
        for (var r = 0; r < rows.Count; r++)
        {
            if (spaced && r > 0)
            {
                output.Result("");
            }

            var height = rows[r].Max(c => c.Count);
            for (var l = 0; l < height; l++)
            {
                output.Result(Line([.. rows[r].Select(c => l < c.Count ? c[l] : "")], widths));
            }
        }

        output.Result(separator);
        output.Result($"{snapshots.Count} snapshots");
    }

    /// <summary>restic's group heading, host then tags then paths; null for the one group of an ungrouped listing.</summary>
    public static string? Heading(SnapshotGroupKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = new List<string>();
        if (key.Host.Length > 0)
        {
            parts.Add($"host [{key.Host}]");
        }

        if (key.Tags is not null)
        {
            parts.Add($"tags [{string.Join(", ", key.Tags)}]");
        }

        if (key.Paths is not null)
        {
            parts.Add($"paths [{string.Join(", ", key.Paths)}]");
        }

        return parts.Count == 0 ? null : $"snapshots for ({string.Join(", ", parts)}):";
    }

    private static List<string>[] Cells(Id id, Snapshot snapshot, bool compact)
    {
        var time = snapshot.Time.ToDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var tags = snapshot.Tags ?? [];
        List<string> shortId = [id.Short], when = [time], host = [snapshot.Hostname ?? ""];
        return compact
            ? [shortId, when, host, [.. tags]]
            : [shortId, when, host, [string.Join(",", tags)], [.. snapshot.Paths]];
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
}
