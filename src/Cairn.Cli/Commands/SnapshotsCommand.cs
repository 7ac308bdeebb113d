using System.CommandLine;
using Cairn.Maintenance.Forget;
using Cairn.Repository;

namespace Cairn.Cli.Commands;

internal static class SnapshotsCommand
{
    public static Command Create()
    {
        var host = new Option<string[]>("--host", "-H") { Description = "only snapshots of these hosts (repeatable)" };
        var tag = new Option<string[]>("--tag") { Description = "only snapshots with all tags of a comma-separated list (repeatable: any list)" };
        var path = new Option<string[]>("--path") { Description = "only snapshots of this path (repeatable: all of them)" };
        var command = new Command("snapshots", "List all snapshots") { host, tag, path };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct, loadIndex: false);
            var filter = new SnapshotFilter
            {
                Hosts = result.GetValue(host) ?? [],
                Tags = [.. (result.GetValue(tag) ?? []).Select(TagList.Parse)],
                Paths = result.GetValue(path) ?? [],
            };
            var list = (await SnapshotFinder.ListAsync(repository, output.UnreadableSnapshot, ct)).Where(s => filter.Matches(s.Snapshot)).ToList();
            if (output.Json)
            {
                output.Out.WriteLine(SnapshotJson.Array(list));
                return ExitCodes.Success;
            }

            output.Result($"{"ID",-9} {"Time",-19}  {"Host",-12} {"Tags",-12} Paths");
            output.Result(new string('-', 72));
            foreach (var (id, s) in list)
            {
                var time = s.Time.ToDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss");
                var first = true;
                foreach (var p in s.Paths.DefaultIfEmpty(""))
                {
                    output.Result(first
                        ? $"{id.Short,-9} {time,-19}  {s.Hostname,-12} {string.Join(",", s.Tags ?? []),-12} {p}"
                        : $"{"",-9} {"",-19}  {"",-12} {"",-12} {p}");
                    first = false;
                }
            }

            output.Result(new string('-', 72));
            output.Result($"{list.Count} snapshots");
            return ExitCodes.Success;
        });
        return command;
    }
}
