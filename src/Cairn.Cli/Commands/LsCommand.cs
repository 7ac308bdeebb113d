using System.CommandLine;
using System.Text;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Trees;

namespace Cairn.Cli.Commands;

internal static class LsCommand
{
    public static Command Create()
    {
        var snapshot = new Argument<string>("snapshot") { Description = "snapshot ID (or a unique prefix) or \"latest\"" };
        var dirs = new Argument<string[]>("dir") { Description = "only list these folders of the snapshot", Arity = ArgumentArity.ZeroOrMore };
        var longFormat = new Option<bool>("--long", "-l") { Description = "show mode, owner, size and time" };
        var recursive = new Option<bool>("--recursive") { Description = "with dir arguments, also list below them" };
        var command = new Command("ls", "List the files in a snapshot") { snapshot, dirs, longFormat, recursive };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var session = await RepositoryOpener.OpenReaderAsync(result, SnapshotQuery.One(result.GetValue(snapshot)!), ct, output.UnreadableSnapshot);
            var repository = session.Repository;
            var (id, snap) = session.Snapshot;
            var filters = (result.GetValue(dirs) ?? []).Select(d => d.TrimEnd('/')).ToList();
            if (output.Json)
            {
                var head = SnapshotJson.Object(id, snap);
                head["struct_type"] = "snapshot";
                output.Out.WriteLine(head.ToJsonString());
            }
            else
            {
                output.Line($"snapshot {id.Short} of [{string.Join(" ", snap.Paths)}] at {snap.Time.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss}:");
            }

            await WalkAsync(repository, snap.Tree, filters, result.GetValue(recursive) || filters.Count == 0, result.GetValue(longFormat), output, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Task WalkAsync(ResticRepository repository, Id tree, List<string> filters, bool recursive, bool longFormat, Output output, CancellationToken ct) =>
        TreeWalker.WalkAsync(repository, tree, (path, node) =>
        {
            if (filters.Count == 0 || filters.Any(f => f == path || IsWithin(path, f, recursive)))
            {
                Print(node, path, longFormat, output);
            }

            return filters.Count == 0 || filters.Any(f => f.StartsWith(path + "/", StringComparison.Ordinal) || IsWithin(path, f, recursive) || f == path);
        }, cancellationToken: ct);

    private static bool IsWithin(string path, string filter, bool recursive)
    {
        if (!path.StartsWith(filter + "/", StringComparison.Ordinal))
        {
            return false;
        }

        return recursive || !path[(filter.Length + 1)..].Contains('/', StringComparison.Ordinal);
    }

    private static void Print(Node node, string path, bool longFormat, Output output)
    {
        if (output.Json)
        {
            output.JsonLine(
                new LsNodeJson(
                    Name: Encoding.UTF8.GetString(node.Name),
                    Type: node.Type.ToJsonName(),
                    Path: path,
                    Uid: node.Uid,
                    Gid: node.Gid,
                    Size: node.Type == NodeType.File ? node.Size : null,
                    Mode: node.Mode,
                    Mtime: node.ModTime.ToString(),
                    Atime: node.AccessTime.ToString(),
                    Ctime: node.ChangeTime.ToString(),
                    StructType: "node"),
                CliJsonContext.Lines.LsNodeJson);
            return;
        }

        if (!longFormat)
        {
            output.Result(path);
            return;
        }

        var (_, permissions) = Platform.GoFileMode.ToPosix(node.Mode);
        var kind = node.Type switch { NodeType.Dir => 'd', NodeType.Symlink => 'L', NodeType.Fifo => 'p', NodeType.Socket => 'S', NodeType.Dev => 'D', NodeType.CharDev => 'c', _ => '-' };
        var rwx = new StringBuilder().Append(kind);
        for (var shift = 6; shift >= 0; shift -= 3)
        {
            rwx.Append((permissions >> (shift + 2) & 1) != 0 ? 'r' : '-')
               .Append((permissions >> (shift + 1) & 1) != 0 ? 'w' : '-')
               .Append((permissions >> shift & 1) != 0 ? 'x' : '-');
        }

        var link = node.Type == NodeType.Symlink ? " -> " + Encoding.UTF8.GetString(node.LinkTarget ?? []) : "";
        output.Result($"{rwx} {node.User ?? node.Uid.ToString()} {node.Group ?? node.Gid.ToString()} {node.Size,10} {node.ModTime.ToDateTimeOffset().ToLocalTime():yyyy-MM-dd HH:mm:ss} {path}{link}");
    }
}

/// <summary>One entry of ls --json; the size only for files.</summary>
internal sealed record LsNodeJson(
    string Name,
    string Type,
    string Path,
    uint Uid,
    uint Gid,
    ulong? Size,
    uint Mode,
    string Mtime,
    string Atime,
    string Ctime,
    string StructType);
