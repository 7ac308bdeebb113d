using System.CommandLine;
using Cairn.Maintenance.Forget;

namespace Cairn.Cli.Commands;

/// <summary>
/// restic's <c>--host</c>, <c>--tag</c> and <c>--path</c> snapshot filter, as every command that picks snapshots by
/// them declares it (forget, tag, rewrite, stats, find, snapshots, copy, mount), and the filter they make.
/// </summary>
internal sealed class SnapshotFilterOptions
{
    /// <param name="hostAlias">restic gives --host the short form -H everywhere but in forget.</param>
    /// <param name="whenNoId">appended to each description where snapshot IDs, when given, take precedence (copy).</param>
    public SnapshotFilterOptions(bool hostAlias = true, string whenNoId = "")
    {
        Host = hostAlias ? new Option<string[]>("--host", "-H") : new Option<string[]>("--host");
        Host.Description = $"only consider snapshots of this host{whenNoId} (repeatable)";
        Tag = new Option<string[]>("--tag") { Description = $"only consider snapshots with all of these comma-separated tags{whenNoId} (repeatable: any list)" };
        Path = new Option<string[]>("--path") { Description = $"only consider snapshots that include this path{whenNoId} (repeatable: all paths)" };
    }

    public Option<string[]> Host { get; }
    public Option<string[]> Tag { get; }
    public Option<string[]> Path { get; }

    public SnapshotFilter Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new SnapshotFilter
        {
            Hosts = result.GetValue(Host) ?? [],
            Tags = [.. (result.GetValue(Tag) ?? []).Select(TagList.Parse)],
            Paths = result.GetValue(Path) ?? [],
        };
    }
}
