using Cairn.Backup;

namespace Cairn.Cli.Commands;

/// <summary>backup's closing report, in restic's words: the summary, or --json's summary line.</summary>
internal static class BackupReport
{
    /// <param name="stored">What the added data takes in packs (would take, after a dry run).</param>
    public static void Print(Output output, BackupSummary s, long stored, bool dryRun)
    {
        if (output.Json)
        {
            output.JsonLine(
                new BackupSummaryJson(
                    MessageType: "summary",
                    DryRun: dryRun ? true : null,
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
                    SnapshotId: s.SnapshotId?.ToString()),
                CliJsonContext.Lines.BackupSummaryJson);
            return;
        }

        output.Line("");
        output.Line($"Files:       {s.FilesNew,5} new, {s.FilesChanged,5} changed, {s.FilesUnmodified,5} unmodified");
        output.Line($"Dirs:        {s.DirsNew,5} new, {s.DirsChanged,5} changed, {s.DirsUnmodified,5} unmodified");
        output.Line($"{(dryRun ? "Would add" : "Added")} to the repository: {Output.Bytes(s.DataAdded)} ({Output.Bytes(stored)} stored)");
        output.Line("");
        output.Line($"processed {s.TotalFilesProcessed} files, {Output.Bytes(s.TotalBytesProcessed)} in {(int)s.Duration.TotalMinutes}:{s.Duration.Seconds:D2}");
        if (s.SnapshotId is { } id)
        {
            output.Line($"snapshot {id.Short} saved");
        }
        else if (s.SkippedUnchanged)
        {
            output.Line("skipped creating snapshot");
        }

        if (s.Errors > 0)
        {
            output.Warning($"Warning: at least one source file could not be read ({s.Errors} errors)");
        }
    }
}

/// <summary>The closing line of backup --json; snapshot_id is left out when none was saved.</summary>
internal sealed record BackupSummaryJson(
    string MessageType,
    bool? DryRun,
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
    string? SnapshotId);
