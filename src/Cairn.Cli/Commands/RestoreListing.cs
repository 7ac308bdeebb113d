using Cairn.Restore;

namespace Cairn.Cli.Commands;

/// <summary>
/// The restore's progress line, plus (with -v) the list of what was done to each entry, kept until the restore ends
/// and printed after the progress line is gone, in restic 0.17's words: "restored", "updated", "unchanged", "deleted".
/// </summary>
internal sealed class RestoreListing(ProgressLine progress, bool verbose) : IRestoreProgress
{
    private readonly List<(RestoreAction Action, string Path, long? Size)> _items = [];

    public void Planned(long files, long bytes) => progress.Planned(files, bytes);

    public void BytesWritten(long bytes) => progress.BytesWritten(bytes);

    public void Warning(string path, string message) => progress.Warning(path, message);

    public void Skipped(string path, string reason) => progress.Skipped(path, reason);

    public void Completed(RestoreAction action, string snapshotPath, long? fileSize)
    {
        if (verbose)
        {
            _items.Add((action, snapshotPath, fileSize));
        }
    }

    public void Print(Output output)
    {
        foreach (var (action, path, size) in _items)
        {
            var verb = action switch
            {
                RestoreAction.Restored => "restored",
                RestoreAction.Updated => "updated",
                RestoreAction.Unchanged => "unchanged",
                _ => "deleted",
            };
            if (output.Json)
            {
                output.JsonLine(new RestoreItemJson("verbose_status", verb, path, size ?? 0), CliJsonContext.Lines.RestoreItemJson);
            }
            else
            {
                output.Line(size is { } bytes ? $"{verb,-9} {path} with size {Output.Bytes(bytes)}" : $"{verb,-9} {path}");
            }
        }
    }
}
