using System.CommandLine;
using Cairn.Backup;
using Cairn.Repository;
using Cairn.Repository.Filtering;
using Cairn.Storage;

namespace Cairn.Cli.Commands;

internal static class BackupCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "files and folders to back up", Arity = ArgumentArity.OneOrMore };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "exclude a pattern (can be given several times)" };
        var excludeFile = new Option<string[]>("--exclude-file") { Description = "read exclude patterns from a file (can be given several times)" };
        var tag = new Option<string[]>("--tag") { Description = "add tags to the snapshot, comma-separated or repeated" };
        var host = new Option<string?>("--host", "-H") { Description = "hostname to record in the snapshot (default: this machine's)" };
        var parent = new Option<string?>("--parent") { Description = "snapshot to compare with (default: latest of this host and these paths)" };
        var force = new Option<bool>("--force", "-f") { Description = "read every file, even unchanged ones" };
        var readConcurrency = new Option<int?>("--read-concurrency") { Description = "read this many files at once (default: $CAIRN_READ_CONCURRENCY, or one per core and at least 2)" };
        var command = new Command("backup", "Create a new snapshot of files and folders") { paths, exclude, excludeFile, tag, host, parent, force, readConcurrency };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var excludes = new List<string>(result.GetValue(exclude) ?? []);
            foreach (var file in result.GetValue(excludeFile) ?? [])
            {
                excludes.AddRange(PathPatternSet.ReadFile(file));
            }

            var hostname = result.GetValue(host) ?? Environment.MachineName;
            var targets = result.GetValue(paths)!;

            // Counting what there is to back up (the progress line's totals) starts first: while the key is derived
            // and the index and parent snapshot are read, it brings the folders and inodes into the kernel's caches,
            // so the walk that follows rarely waits on the disk.
            // It also keeps each folder's listing with every entry's status, which the walk then takes instead of
            // asking the kernel a second time.
            var scanner = new SourceScanner(targets, new PathPatternSet(excludes));
            var scan = Task.Run(() => scanner.Scan(ct), ct);
            await using var repository = await RepositoryOpener.OpenAsync(result, ct, loadIndex: false);
            // The index is read only once our lock is written (during its settle wait): a prune that finished while
            // we waited has changed it, and one that starts now will see our lock.
            await using var repoLock = await CommandLock.AcquireAndLoadIndexAsync(result, repository, ct);
            // Staged packs of a backup that was killed; only those untouched for an hour, so a concurrent backup's live one stays.
            TemporarySweep.SweepStale(repository.Store, TimeProvider.System, ct);

            var absolute = targets.Select(p => Path.GetFullPath(p).TrimEnd('/') is { Length: > 0 } s ? s : "/").ToList();
            Repository.Format.Snapshot? parentSnapshot = null;
            Id? parentId = null;
            if (!result.GetValue(force))
            {
                try
                {
                    var found = await SnapshotFinder.FindAsync(repository, result.GetValue(parent) ?? "latest", result.GetValue(parent) is null ? hostname : null, result.GetValue(parent) is null ? absolute : null, ct, output.UnreadableSnapshot);
                    (parentId, parentSnapshot) = (found.Id, found.Snapshot);
                }
                catch (SnapshotNotFoundException) when (result.GetValue(parent) is null)
                {
                }
            }

            if (parentId is { } pid)
            {
                output.Line($"using parent snapshot {pid.Short}");
            }

            using var progress = new ProgressLine(output);
            var options = new BackupOptions
            {
                Paths = targets,
                Excludes = excludes,
                Tags = [.. (result.GetValue(tag) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                Hostname = hostname,
                Parent = parentId,
                ProgramVersion = "cairn " + VersionCommand.Version,
                FileConcurrency = ReadConcurrency(result.GetValue(readConcurrency)),
                Listings = scanner,
            };
            if (progress.IsLive)
            {
                _ = scan.ContinueWith(t => progress.SetTotals(t.Result.Files, t.Result.Bytes), ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }

            var summary = await new Archiver(new RepositoryBackupTarget(repository), progress).RunAsync(options, parentSnapshot, ct);
            progress.Dispose();
            Print(output, summary, repository.Blobs.StoredBytes);
            return summary.Errors > 0 ? ExitCodes.PartialBackup : ExitCodes.Success;
        });
        return command;
    }

    private static int ReadConcurrency(int? option)
    {
        var value = option ?? (int.TryParse(Environment.GetEnvironmentVariable("CAIRN_READ_CONCURRENCY"), out var fromEnvironment) ? fromEnvironment : (int?)null);
        return value switch
        {
            null => BackupOptions.DefaultFileConcurrency,
            < 1 => throw new UsageException("--read-concurrency must be at least 1"),
            _ => value.Value,
        };
    }

    private static void Print(Output output, BackupSummary s, long stored)
    {
        if (output.Json)
        {
            output.JsonLine(
                new BackupSummaryJson(
                    MessageType: "summary",
                    FilesNew: s.FilesNew,
                    FilesChanged: s.FilesChanged,
                    FilesUnmodified: s.FilesUnmodified,
                    DirsNew: s.DirsNew,
                    DirsChanged: s.DirsChanged,
                    DirsUnmodified: s.DirsUnmodified,
                    DataBlobs: s.DataBlobs,
                    TreeBlobs: s.TreeBlobs,
                    DataAdded: s.DataAdded,
                    TotalFilesProcessed: s.TotalFilesProcessed,
                    TotalBytesProcessed: s.TotalBytesProcessed,
                    TotalDuration: s.Duration.TotalSeconds,
                    SnapshotId: s.SnapshotId.ToString()),
                CliJsonContext.Lines.BackupSummaryJson);
            return;
        }

        output.Line("");
        output.Line($"Files:       {s.FilesNew,5} new, {s.FilesChanged,5} changed, {s.FilesUnmodified,5} unmodified");
        output.Line($"Dirs:        {s.DirsNew,5} new, {s.DirsChanged,5} changed, {s.DirsUnmodified,5} unmodified");
        output.Line($"Added to the repository: {Output.Bytes(s.DataAdded)} ({Output.Bytes(stored)} stored)");
        output.Line("");
        output.Line($"processed {s.TotalFilesProcessed} files, {Output.Bytes(s.TotalBytesProcessed)} in {(int)s.Duration.TotalMinutes}:{s.Duration.Seconds:D2}");
        output.Line($"snapshot {s.SnapshotId.Short} saved");
        if (s.Errors > 0)
        {
            output.Warning($"Warning: at least one source file could not be read ({s.Errors} errors)");
        }
    }
}

/// <summary>The closing line of backup --json.</summary>
internal sealed record BackupSummaryJson(
    string MessageType,
    long FilesNew,
    long FilesChanged,
    long FilesUnmodified,
    long DirsNew,
    long DirsChanged,
    long DirsUnmodified,
    long DataBlobs,
    long TreeBlobs,
    long DataAdded,
    long TotalFilesProcessed,
    long TotalBytesProcessed,
    double TotalDuration,
    string SnapshotId);
