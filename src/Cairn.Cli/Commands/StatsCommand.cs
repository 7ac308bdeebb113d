using System.CommandLine;
using Cairn.Maintenance.Forget;
using Cairn.Maintenance.Inspection;
using Cairn.Repository;

namespace Cairn.Cli.Commands;

internal static class StatsCommand
{
    public static Command Create()
    {
        var snapshots = new Argument<string[]>("snapshot ID") { Description = "snapshots to count (default: all; \"latest\" allowed)", Arity = ArgumentArity.ZeroOrMore };
        var mode = new Option<string>("--mode") { Description = "restore-size (default): what a restore writes; raw-data: the distinct blobs stored", DefaultValueFactory = _ => "restore-size" };
        var filterOptions = new SnapshotFilterOptions();
        var (host, tag, path) = (filterOptions.Host, filterOptions.Tag, filterOptions.Path);
        var command = new Command("stats", "Count files and sizes of snapshots") { snapshots, mode, host, tag, path };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var countingMode = result.GetValue(mode) ?? "restore-size";
            if (countingMode is not ("restore-size" or "raw-data"))
            {
                throw new UsageException($"unknown counting mode \"{countingMode}\": use restore-size or raw-data");
            }

            var filter = filterOptions.Read(result);
            await using var session = await RepositoryOpener.OpenReaderAsync(result, SnapshotQuery.All, ct);
            var repository = session.Repository;
            var selected = SnapshotSelection.Select(session.Snapshots, result.GetValue(snapshots) ?? [], filter)
                .Select(s => s.Snapshot).ToList();
            output.Line("scanning...");
            if (countingMode == "restore-size")
            {
                var size = await RepositoryStatistics.RestoreSizeAsync(repository, selected, ct);
                if (output.Json)
                {
                    output.JsonLine(new RestoreSizeStatsJson(size.Bytes, size.Files, size.Snapshots), CliJsonContext.Lines.RestoreSizeStatsJson);
                    return ExitCodes.Success;
                }

                output.Result("Stats in restore-size mode:");
                output.Result($"Snapshots processed:   {size.Snapshots}");
                output.Result($"   Total File Count:   {size.Files}");
                output.Result($"         Total Size:   {Output.Bytes(size.Bytes)}");
                return ExitCodes.Success;
            }

            var raw = await RepositoryStatistics.RawDataAsync(repository, selected, ct);
            if (output.Json)
            {
                output.JsonLine(
                    new RawDataStatsJson(
                        TotalSize: raw.StoredBytes,
                        TotalUncompressedSize: raw.UncompressedBytes,
                        CompressionRatio: raw.CompressionRatio,
                        CompressionProgress: raw.CompressionProgress,
                        CompressionSpaceSaving: raw.CompressionSpaceSaving,
                        TotalFileCount: 0,
                        TotalBlobCount: raw.Blobs,
                        SnapshotsCount: raw.Snapshots),
                    CliJsonContext.Lines.RawDataStatsJson);
                return ExitCodes.Success;
            }

            output.Result("Stats in raw-data mode:");
            output.Result($"     Snapshots processed:   {raw.Snapshots}");
            output.Result($"        Total Blob Count:   {raw.Blobs}");
            output.Result($" Total Uncompressed Size:   {Output.Bytes(raw.UncompressedBytes)}");
            output.Result($"              Total Size:   {Output.Bytes(raw.StoredBytes)}");
            output.Result($"    Compression Progress:   {raw.CompressionProgress:0.00}%");
            output.Result($"       Compression Ratio:   {raw.CompressionRatio:0.00}x");
            output.Result($"Compression Space Saving:   {raw.CompressionSpaceSaving:0.00}%");
            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>stats --json in restore-size mode.</summary>
internal sealed record RestoreSizeStatsJson(long TotalSize, long TotalFileCount, long SnapshotsCount);

/// <summary>stats --json in raw-data mode (restic prints a zero file count there).</summary>
internal sealed record RawDataStatsJson(
    long TotalSize,
    long TotalUncompressedSize,
    double CompressionRatio,
    double CompressionProgress,
    double CompressionSpaceSaving,
    int TotalFileCount,
    long TotalBlobCount,
    long SnapshotsCount);
