using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Maintenance.Forget;
using Cairn.Maintenance.Inspection;
using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Cli.Commands;

internal static class FindCommand
{
    public static Command Create()
    {
        var patterns = new Argument<string[]>("PATTERN") { Description = "name pattern (*, ?, [...]); with \"/\" a path pattern, ** for any depth", Arity = ArgumentArity.OneOrMore };
        var snapshotOption = new Option<string[]>("--snapshot", "-s") { Description = "only search this snapshot (repeatable; default: all)" };
        var ignoreCase = new Option<bool>("--ignore-case", "-i") { Description = "ignore case in patterns" };
        var longFormat = new Option<bool>("--long", "-l") { Description = "show mode, owner, size and time" };
        var filterOptions = new SnapshotFilterOptions();
        var (host, tag, path) = (filterOptions.Host, filterOptions.Tag, filterOptions.Path);
        var command = new Command("find", "Find files and directories by name in snapshots") { patterns, snapshotOption, ignoreCase, longFormat, host, tag, path };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var finder = new NodeFinder(result.GetValue(patterns) ?? [], result.GetValue(ignoreCase));
            if (finder.IsEmpty)
            {
                throw new UsageException("find needs at least one non-empty pattern");
            }

            var filter = filterOptions.Read(result);
            await using var session = await RepositoryOpener.OpenReaderAsync(result, SnapshotQuery.All, ct);
            var repository = session.Repository;
            var selected = SnapshotSelection.Select(session.Snapshots, result.GetValue(snapshotOption) ?? [], filter);
            var json = new JsonArray();
            var first = true;
            foreach (var (id, snapshot) in selected)
            {
                var matches = await finder.FindAsync(repository, snapshot.Tree, ct);
                if (matches.Count == 0)
                {
                    continue;
                }

                if (output.Json)
                {
                    // As a JsonNode: the generic Add<T> would serialize through reflection.
                    json.Add((JsonNode)new JsonObject
                    {
                        ["matches"] = new JsonArray([.. matches.Select(m => (JsonNode)Match(m.Path, m.Node))]),
                        ["hits"] = matches.Count,
                        ["snapshot"] = id.ToString(),
                    });
                    continue;
                }

                if (!first)
                {
                    output.Result("");
                }

                first = false;
                output.Result($"Found matching entries in snapshot {id.Short} from {snapshot.Time.ToDateTimeOffset().ToLocalTime():yyyy-MM-dd HH:mm:ss}");
                foreach (var (matchPath, node) in matches)
                {
                    output.Result(result.GetValue(longFormat) ? Long(matchPath, node) : matchPath);
                }
            }

            if (output.Json)
            {
                output.Out.WriteLine(json.ToJsonString());
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A match as restic prints it with --json: zero sizes, link counts and device IDs and empty names left out.</summary>
    private static JsonObject Match(string path, Node node)
    {
        var match = new JsonObject
        {
            ["path"] = path,
            ["permissions"] = GoFileModeText.Format(node),
            ["type"] = node.Type.ToJsonName(),
            ["mode"] = node.Mode,
            ["mtime"] = node.ModTime.ToString(),
            ["atime"] = node.AccessTime.ToString(),
            ["ctime"] = node.ChangeTime.ToString(),
            ["uid"] = node.Uid,
            ["gid"] = node.Gid,
        };
        AddUnlessEmpty(match, "user", node.User);
        AddUnlessEmpty(match, "group", node.Group);
        AddUnlessZero(match, "device_id", node.DeviceId);
        AddUnlessZero(match, "size", node.Size);
        AddUnlessZero(match, "links", node.Links);
        if (node.Type == NodeType.Symlink)
        {
            match["linktarget"] = Encoding.UTF8.GetString(node.LinkTarget ?? []);
        }

        return match;
    }

    private static void AddUnlessEmpty(JsonObject match, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            match[name] = value;
        }
    }

    private static void AddUnlessZero(JsonObject match, string name, ulong value)
    {
        if (value != 0)
        {
            match[name] = value;
        }
    }

    private static string Long(string path, Node node)
    {
        var link = node.Type == NodeType.Symlink ? " -> " + Encoding.UTF8.GetString(node.LinkTarget ?? []) : "";
        return $"{GoFileModeText.Format(node)} {node.Uid,5} {node.Gid,5} {node.Size,6} {node.ModTime.ToDateTimeOffset().ToLocalTime():yyyy-MM-dd HH:mm:ss} {path}{link}";
    }
}
