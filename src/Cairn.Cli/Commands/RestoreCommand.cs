using System.CommandLine;
using Cairn.Repository;
using Cairn.Restore;

namespace Cairn.Cli.Commands;

internal static class RestoreCommand
{
    public static Command Create()
    {
        var snapshot = new Argument<string>("snapshot") { Description = "snapshot ID (or a unique prefix) or \"latest\"" };
        var target = new Option<string>("--target", "-t") { Description = "folder to restore into", Required = true };
        var include = new Option<string[]>("--include", "-i") { Description = "restore only paths matching a pattern" };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "leave out paths matching a pattern" };
        var host = new Option<string?>("--host", "-H") { Description = "for \"latest\": only snapshots of this host" };
        var path = new Option<string[]>("--path") { Description = "for \"latest\": only snapshots of this path" };
        var command = new Command("restore", "Restore a snapshot into a folder") { snapshot, target, include, exclude, host, path };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct, loadIndex: false);
            // The index is read only once our lock is written (during its settle wait): a prune that finished while
            // we waited has changed it, and one that starts now will see our lock.
            await using var repoLock = await CommandLock.AcquireAndLoadIndexAsync(result, repository, ct);
            var (id, snap) = await SnapshotFinder.FindAsync(repository, result.GetValue(snapshot)!, result.GetValue(host), result.GetValue(path), ct, output.UnreadableSnapshot);
            var targetDir = result.GetValue(target)!;
            output.Line($"restoring <Snapshot {id.Short} of [{string.Join(" ", snap.Paths)}] at {snap.Time.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss} by {snap.Username}@{snap.Hostname}> to {targetDir}");
            using var progress = new ProgressLine(output);
            var options = new RestoreOptions
            {
                Target = targetDir,
                // The owner's own snapshot on their own machine, as restic restores it: owners (as root), devices, FIFOs, setuid bits.
                Safety = HostSafety.OwnSnapshot,
                Includes = result.GetValue(include) ?? [],
                Excludes = result.GetValue(exclude) ?? [],
                CollectAfterPlanning = true,
            };
            var summary = await new Restorer(new RepositoryRestoreSource(repository), progress).RunAsync(snap.Tree, options, ct);
            progress.Dispose();
            if (output.Json)
            {
                output.JsonLine(new RestoreSummaryJson("summary", id.ToString(), summary.Files, summary.Directories, summary.Bytes, summary.Warnings), CliJsonContext.Lines.RestoreSummaryJson);
            }

            return summary.Warnings > 0 ? ExitCodes.Error : ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>The closing line of restore --json.</summary>
internal sealed record RestoreSummaryJson(string MessageType, string SnapshotId, long FilesRestored, long Directories, long BytesRestored, long Warnings);
