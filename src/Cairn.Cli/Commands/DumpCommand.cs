using System.CommandLine;
using Cairn.Maintenance.Inspection;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Trees;

namespace Cairn.Cli.Commands;

internal static class DumpCommand
{
    public static Command Create()
    {
        var snapshot = new Argument<string>("snapshot") { Description = "snapshot ID (or a unique prefix) or \"latest\"" };
        var file = new Argument<string>("file") { Description = "absolute path in the snapshot: a file's bytes, or a directory as a tar stream" };
        var archive = new Option<string>("--archive", "-a") { Description = "archive format for directories: tar", DefaultValueFactory = _ => "tar" };
        var host = new Option<string?>("--host", "-H") { Description = "for \"latest\": only snapshots of this host" };
        var path = new Option<string[]>("--path") { Description = "for \"latest\": only snapshots of this path" };
        var command = new Command("dump", "Print one file of a snapshot to standard output, or a directory as tar") { snapshot, file, archive, host, path };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            if (result.GetValue(archive) is { } format && format != "tar")
            {
                throw new UsageException($"unknown archive format \"{format}\": use tar");
            }

            await using var session = await RepositoryOpener.OpenReaderAsync(result,
                SnapshotQuery.One(result.GetValue(snapshot)!, result.GetValue(host), result.GetValue(path)), ct, output.UnreadableSnapshot);
            var repository = session.Repository;
            var (_, snap) = session.Snapshot;
            var target = "/" + result.GetValue(file)!.Trim('/');
            var (found, node) = await TreeWalker.FindAsync(repository, snap.Tree, target, ct);
            if (!found)
            {
                throw new UsageException($"cannot dump file: path \"{target}\" not found in snapshot");
            }

            var dumper = new SnapshotDumper(repository);
            await using var stdout = Console.OpenStandardOutput();
            if (node is null)
            {
                await dumper.WriteTarAsync("/", snap.Tree, stdout, ct);
            }
            else if (node.Type == NodeType.Dir && node.Subtree is { } subtree)
            {
                await dumper.WriteTarAsync(target, subtree, stdout, ct);
            }
            else if (node.Type == NodeType.File)
            {
                await dumper.WriteFileAsync(node, stdout, ct);
            }
            else
            {
                throw new UsageException($"cannot dump file: \"{target}\" should be a file, but is a \"{node.Type.ToJsonName()}\"");
            }

            await stdout.FlushAsync(ct);
            return ExitCodes.Success;
        });
        return command;
    }
}
