using System.CommandLine;
using System.Diagnostics;
using Cairn.Repository;
using Cairn.Restore;

namespace Cairn.Cli.Commands;

internal static class RestoreCommand
{
    public static Command Create()
    {
        var snapshot = new Argument<string>("snapshot") { Description = "snapshot ID (or a unique prefix) or \"latest\"" };
        var target = new Option<string>("--target", "-t") { Description = "folder to restore into", Required = true };
        var include = new Option<string[]>("--include", "-i") { Description = "restore only paths matching a pattern (can be given several times)" };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "leave out paths matching a pattern (can be given several times)" };
        var iinclude = new Option<string[]>("--iinclude") { Description = "same as --include, ignoring the case of names" };
        var iexclude = new Option<string[]>("--iexclude") { Description = "same as --exclude, ignoring the case of names" };
        var includeFile = new Option<string[]>("--include-file") { Description = "read include patterns from a file, one a line (can be given several times)" };
        var excludeFile = new Option<string[]>("--exclude-file") { Description = "read exclude patterns from a file, one a line (can be given several times)" };
        var iincludeFile = new Option<string[]>("--iinclude-file") { Description = "same as --include-file, ignoring the case of names" };
        var iexcludeFile = new Option<string[]>("--iexclude-file") { Description = "same as --exclude-file, ignoring the case of names" };
        var overwrite = new Option<string>("--overwrite")
        {
            Description = "what to do with files that already exist: always (unless content and metadata match), if-changed (size and mtime match: unchanged), if-newer (only when the snapshot's is newer) or never",
            DefaultValueFactory = _ => "always",
        };
        var delete = new Option<bool>("--delete") { Description = "delete files in the target that are not in the snapshot (with --include/--exclude only what they select); try --dry-run -v first" };
        var dryRun = new Option<bool>("--dry-run") { Description = "write, change and delete nothing; with -v list what would be done" };
        var verify = new Option<bool>("--verify") { Description = "read the written files back and check their content against the snapshot" };
        var sparse = new Option<bool>("--sparse") { Description = "leave holes for all-zero chunks instead of writing them" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "list every entry: restored, updated, unchanged or deleted" };
        var host = new Option<string?>("--host", "-H") { Description = "for \"latest\": only snapshots of this host" };
        var path = new Option<string[]>("--path") { Description = "for \"latest\": only snapshots of this path" };
        var command = new Command("restore", "Restore a snapshot into a folder")
        {
            snapshot, target, include, exclude, iinclude, iexclude, includeFile, excludeFile, iincludeFile, iexcludeFile,
            overwrite, delete, dryRun, verify, sparse, verbose, host, path,
        };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            // Flags are checked before the repository is opened: a mistyped mode or missing pattern file costs nothing.
            var mode = ParseOverwrite(result.GetValue(overwrite));
            var includes = PatternArguments.Read(result.GetValue(include), result.GetValue(includeFile));
            var excludes = PatternArguments.Read(result.GetValue(exclude), result.GetValue(excludeFile));
            var includesIgnoringCase = PatternArguments.Read(result.GetValue(iinclude), result.GetValue(iincludeFile));
            var excludesIgnoringCase = PatternArguments.Read(result.GetValue(iexclude), result.GetValue(iexcludeFile));
            await using var session = await RepositoryOpener.OpenReaderAsync(result,
                SnapshotQuery.One(result.GetValue(snapshot)!, result.GetValue(host), result.GetValue(path)), ct, output.UnreadableSnapshot);
            var repository = session.Repository;
            var (id, snap) = session.Snapshot;
            var targetDir = result.GetValue(target)!;
            output.Line($"restoring <Snapshot {id.Short} of [{string.Join(" ", snap.Paths)}] at {snap.Time.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss} by {snap.Username}@{snap.Hostname}> to {targetDir}");
            var clock = Stopwatch.StartNew();
            using var progress = new ProgressLine(output);
            var listing = new RestoreListing(progress, result.GetValue(verbose));
            var options = new RestoreOptions
            {
                Target = targetDir,
                // The owner's own snapshot on their own machine, as restic restores it: owners (as root), devices, FIFOs, setuid bits.
                Safety = HostSafety.OwnSnapshot,
                Includes = includes,
                Excludes = excludes,
                IncludesIgnoringCase = includesIgnoringCase,
                ExcludesIgnoringCase = excludesIgnoringCase,
                Overwrite = mode,
                DeleteExtra = result.GetValue(delete),
                DryRun = result.GetValue(dryRun),
                Verify = result.GetValue(verify),
                Sparse = result.GetValue(sparse),
                CollectAfterPlanning = true,
            };
            var summary = await new Restorer(new RepositoryRestoreSource(repository), listing).RunAsync(snap.Tree, options, ct);
            progress.Dispose();
            listing.Print(output);
            var elapsed = clock.Elapsed;
            if (output.Json)
            {
                output.JsonLine(
                    new RestoreSummaryJson("summary", id.ToString(), elapsed.TotalSeconds, summary.Restored + summary.Kept, summary.Restored, summary.Kept, summary.Deleted,
                        summary.Bytes + summary.KeptBytes, summary.Bytes, summary.KeptBytes, summary.Files, summary.Directories, summary.Warnings),
                    CliJsonContext.Lines.RestoreSummaryJson);
            }
            else
            {
                output.Line(SummaryLine(summary, elapsed));
            }

            return summary.Warnings > 0 ? ExitCodes.Error : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>restic 0.17's closing line: skipped and deleted counts only when there are any.</summary>
    private static string SummaryLine(RestoreSummary summary, TimeSpan elapsed)
    {
        var line = $"Summary: Restored {summary.Restored} files/dirs ({Output.Bytes(summary.Bytes)}) in {Duration(elapsed)}";
        if (summary.Kept > 0)
        {
            line += $", skipped {summary.Kept} files/dirs ({Output.Bytes(summary.KeptBytes)})";
        }

        if (summary.Deleted > 0)
        {
            line += $", deleted {summary.Deleted} files/dirs";
        }

        return line;
    }

    /// <summary>restic's m:ss, or h:mm:ss from an hour on.</summary>
    private static string Duration(TimeSpan elapsed) =>
        elapsed.TotalHours >= 1 ? $"{(int)elapsed.TotalHours}:{elapsed.Minutes:00}:{elapsed.Seconds:00}" : $"{(int)elapsed.TotalMinutes}:{elapsed.Seconds:00}";

    private static OverwriteMode ParseOverwrite(string? text) => text switch
    {
        "always" => OverwriteMode.Always,
        "if-changed" => OverwriteMode.IfChanged,
        "if-newer" => OverwriteMode.IfNewer,
        "never" => OverwriteMode.Never,
        _ => throw new UsageException($"invalid --overwrite \"{text}\": use always, if-changed, if-newer or never"),
    };
}

/// <summary>The closing line of restore --json: restic 0.17's fields, then cairn's own counts.</summary>
internal sealed record RestoreSummaryJson(
    string MessageType, string SnapshotId, double SecondsElapsed, long TotalFiles, long FilesRestored, long FilesSkipped, long FilesDeleted,
    long TotalBytes, long BytesRestored, long BytesSkipped, long NewFiles, long Directories, long Warnings);

/// <summary>One entry of restore -v --json, as restic 0.17's verbose_status.</summary>
internal sealed record RestoreItemJson(string MessageType, string Action, string Item, long Size);
