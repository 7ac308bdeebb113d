using System.CommandLine;
using Cairn.Maintenance.Forget;
using Cairn.Maintenance.Inspection;
using Cairn.Repository;

namespace Cairn.Cli.Commands;

internal static class DiffCommand
{
    public static Command Create()
    {
        var first = new Argument<string>("snapshot-ID") { Description = "the older snapshot (ID, unique prefix or \"latest\")" };
        var second = new Argument<string>("snapshot-ID") { Description = "the newer snapshot" };
        var metadata = new Option<bool>("--metadata") { Description = "also show paths whose metadata alone changed (U)" };
        var command = new Command("diff", "Show what changed between two snapshots: + added, - removed, M content, T type, U metadata") { first, second, metadata };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var session = await RepositoryOpener.OpenReaderAsync(result, SnapshotQuery.All, ct);
            var repository = session.Repository;
            var all = session.Snapshots;
            var (fromId, from) = SnapshotSelection.Resolve(all, result.GetValue(first)!, SnapshotFilter.All);
            var (toId, to) = SnapshotSelection.Resolve(all, result.GetValue(second)!, SnapshotFilter.All);
            output.Line($"comparing snapshot {fromId.Short} to {toId.Short}:");
            output.Line("");
            var difference = await new SnapshotDiffer(repository, result.GetValue(metadata)).CompareAsync(from.Tree, to.Tree, ct);
            foreach (var change in difference.Changes)
            {
                if (output.Json)
                {
                    output.JsonLine(new DiffChangeJson("change", change.Path, change.Modifier), CliJsonContext.Lines.DiffChangeJson);
                }
                else
                {
                    output.Result($"{change.Modifier,-4} {change.Path}");
                }
            }

            if (output.Json)
            {
                output.JsonLine(
                    new DiffStatisticsJson("statistics", result.GetValue(first), result.GetValue(second), difference.ChangedFiles, Side(difference.Added), Side(difference.Removed)),
                    CliJsonContext.Lines.DiffStatisticsJson);
                return ExitCodes.Success;
            }

            var added = difference.Added;
            var removed = difference.Removed;
            output.Line("");
            output.Line($"Files:       {added.Files,5} new, {removed.Files,5} removed, {difference.ChangedFiles,5} changed");
            output.Line($"Dirs:        {added.Dirs,5} new, {removed.Dirs,5} removed");
            output.Line($"Others:      {added.Others,5} new, {removed.Others,5} removed");
            output.Line($"Data Blobs:  {added.DataBlobs,5} new, {removed.DataBlobs,5} removed");
            output.Line($"Tree Blobs:  {added.TreeBlobs,5} new, {removed.TreeBlobs,5} removed");
            output.Line($"  Added:   {Output.Bytes(added.Bytes)}");
            output.Line($"  Removed: {Output.Bytes(removed.Bytes)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static DiffSideJson Side(DiffCounts counts) =>
        new(counts.Files, counts.Dirs, counts.Others, counts.DataBlobs, counts.TreeBlobs, counts.Bytes);
}

/// <summary>One changed path in diff --json.</summary>
internal sealed record DiffChangeJson(string MessageType, string Path, string Modifier);

/// <summary>The closing statistics of diff --json.</summary>
internal sealed record DiffStatisticsJson(string MessageType, string? SourceSnapshot, string? TargetSnapshot, int ChangedFiles, DiffSideJson Added, DiffSideJson Removed);

internal sealed record DiffSideJson(int Files, int Dirs, int Others, int DataBlobs, int TreeBlobs, long Bytes);
