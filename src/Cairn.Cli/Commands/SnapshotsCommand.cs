using System.CommandLine;
using System.Text.Json.Nodes;
using Cairn.Maintenance.Forget;
using Cairn.Maintenance.Inspection;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Cli.Commands;

internal static class SnapshotsCommand
{
    public static Command Create()
    {
        var ids = new Argument<string[]>("snapshot ID") { Description = "only these snapshots (IDs, prefixes or \"latest\", which honours the filters)", Arity = ArgumentArity.ZeroOrMore };
        var filterOptions = new SnapshotFilterOptions();
        var (host, tag, path) = (filterOptions.Host, filterOptions.Tag, filterOptions.Path);
        var compact = new Option<bool>("--compact", "-c") { Description = "use compact output format (no paths, one tag a line)" };
        var latest = new Option<int>("--latest") { Description = "only show the last n snapshots for each host and path" };
        var groupBy = new Option<string>("--group-by", "-g") { Description = "group snapshots by host, paths and/or tags, comma separated", DefaultValueFactory = _ => "" };
        var command = new Command("snapshots", "List all snapshots") { ids, host, tag, path, compact, latest, groupBy };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var filter = filterOptions.Read(result);
            GroupBy grouping;
            try
            {
                grouping = GroupByParser.Parse(result.GetValue(groupBy) ?? "");
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }

            await using var session = await RepositoryOpener.OpenReaderAsync(result, SnapshotQuery.All, ct, output.UnreadableSnapshot, loadIndex: false);
            var all = session.Snapshots;
            // Shown as restic shows them: paths sorted, and tags too when they are grouped by.
            var list = NamedOrFilteredSnapshots.Select(all, result.GetValue(ids) ?? [], filter, output.Warning)
                .Select(s => (s.Id, Snapshot: s.Snapshot with
                {
                    Paths = [.. s.Snapshot.Paths.Order(StringComparer.Ordinal)],
                    Tags = grouping.HasFlag(GroupBy.Tags) && s.Snapshot.Tags is { } tags ? [.. tags.Order(StringComparer.Ordinal)] : s.Snapshot.Tags,
                }));
            var groups = ForgetPlanner.Group(list, grouping)
                .Select(g => (g.Key, Snapshots: LatestSnapshots.Keep(g.Snapshots, result.GetValue(latest))))
                .ToList();
            if (output.Json)
            {
                output.Out.WriteLine(grouping == GroupBy.None
                    ? SnapshotJson.Array(groups.SelectMany(g => g.Snapshots))
                    : new JsonArray([.. groups.Select(g => (JsonNode)GroupJson(g.Key, g.Snapshots))]).ToJsonString());
                return ExitCodes.Success;
            }

            foreach (var (key, snapshots) in groups)
            {
                if (SnapshotTable.Heading(key) is { } heading)
                {
                    output.Result(heading);
                }

                SnapshotTable.Print(snapshots, result.GetValue(compact), output);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One group as restic prints it with --group-by --json: the key (hostname, paths, tags) and its snapshots.</summary>
    private static JsonObject GroupJson(SnapshotGroupKey key, IReadOnlyList<(Id Id, Snapshot Snapshot)> snapshots) => new()
    {
        ["group_key"] = new JsonObject
        {
            ["hostname"] = key.Host,
            ["paths"] = key.Paths is null ? null : new JsonArray([.. key.Paths.Select(p => (JsonNode)p)]),
            ["tags"] = key.Tags is null ? null : new JsonArray([.. key.Tags.Select(t => (JsonNode)t)]),
        },
        ["snapshots"] = new JsonArray([.. snapshots.Select(s => (JsonNode)SnapshotJson.Object(s.Id, s.Snapshot))]),
    };
}
