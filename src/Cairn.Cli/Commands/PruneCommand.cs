using System.CommandLine;
using System.Globalization;
using Cairn.Maintenance.Check;
using Cairn.Maintenance.Prune;
using Cairn.Repository;
using Cairn.Storage;

namespace Cairn.Cli.Commands;

internal static class PruneCommand
{
    public static readonly Option<string> MaxUnused = new("--max-unused") { Description = "tolerate this much unused space: a percentage like 5% (default) or a size like 100M", DefaultValueFactory = _ => "5%" };
    public static readonly Option<string?> MaxRepackSize = new("--max-repack-size") { Description = "rewrite at most this many bytes of packs, e.g. 1G" };
    public static readonly Option<bool> DryRun = new("--dry-run", "-n") { Description = "only show what would be done" };

    public static Command Create()
    {
        var command = new Command("prune", "Remove data no snapshot needs") { MaxUnused, MaxRepackSize, DryRun };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            await using var repoLock = await CommandLock.AcquireAsync(result, repository, exclusive: true, ct);
            var options = Options(result);
            if (!options.DryRun)
            {
                // Even under the exclusive lock only hour-old files go: a writer that ignores locks may still be staging.
                var swept = TemporarySweep.SweepStale(repository.Store, TimeProvider.System, ct);
                if (swept.Files > 0 && !output.Json)
                {
                    output.Line($"removed {swept.Files} leftover temporary files ({Output.Bytes(swept.Bytes)})");
                }
            }

            return await RunAsync(repository, options, output, ct);
        });
        return command;
    }

    public static PruneOptions Options(ParseResult result)
    {
        var maxUnused = result.GetValue(MaxUnused) ?? "5%";
        double percent;
        if (maxUnused.EndsWith('%'))
        {
            if (!double.TryParse(maxUnused[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out percent) || percent < 0)
            {
                throw new UsageException($"invalid --max-unused \"{maxUnused}\"");
            }
        }
        else
        {
            // An absolute size is turned into a percentage once usage is known; "unlimited" keeps everything.
            percent = maxUnused == "unlimited" ? double.MaxValue : throw new UsageException($"invalid --max-unused \"{maxUnused}\": use a percentage such as 5% or \"unlimited\"");
        }

        long? maxRepack = null;
        if (result.GetValue(MaxRepackSize) is { } size)
        {
            try
            {
                maxRepack = ReadDataSubset.ParseSize(size);
            }
            catch (ArgumentException)
            {
                throw new UsageException($"invalid --max-repack-size \"{size}\"");
            }
        }

        return new PruneOptions { MaxUnusedPercent = percent, MaxRepackBytes = maxRepack, DryRun = result.GetValue(DryRun) };
    }

    public static async Task<int> RunAsync(ResticRepository repository, PruneOptions options, Output output, CancellationToken ct)
    {
        var report = await new Pruner(repository, output.Line).RunAsync(options, ct);
        if (output.Json)
        {
            output.JsonLine(
                new PruneSummaryJson(
                    MessageType: "summary",
                    UsedBlobs: report.UsedBlobs,
                    UsedBytes: report.UsedBytes,
                    UnusedBlobs: report.UnusedBlobs,
                    UnusedBytes: report.UnusedBytes,
                    PacksKept: report.PacksKept,
                    PacksRepacked: report.PacksRepacked,
                    PacksRemoved: report.PacksRemoved,
                    UnreferencedPacksRemoved: report.UnreferencedPacksRemoved,
                    BytesFreed: report.BytesFreed,
                    UnusedBytesLeft: report.UnusedBytesLeft,
                    DryRun: report.DryRun),
                CliJsonContext.Lines.PruneSummaryJson);
            return ExitCodes.Success;
        }

        output.Line($"used:         {report.UsedBlobs,10} blobs / {Output.Bytes(report.UsedBytes)}");
        output.Line($"unused:       {report.UnusedBlobs,10} blobs / {Output.Bytes(report.UnusedBytes)}");
        output.Line($"packs:        {report.PacksKept} kept, {report.PacksRepacked} repacked, {report.PacksRemoved + report.UnreferencedPacksRemoved} removed");
        output.Line($"{(report.DryRun ? "would free" : "freed")}:  {Output.Bytes(report.BytesFreed)}; unused space left: {Output.Bytes(report.UnusedBytesLeft)}");
        output.Line(report.DryRun ? "dry run: nothing was changed" : "done");
        return ExitCodes.Success;
    }
}

/// <summary>The closing line of prune --json.</summary>
internal sealed record PruneSummaryJson(
    string MessageType,
    long UsedBlobs,
    long UsedBytes,
    long UnusedBlobs,
    long UnusedBytes,
    int PacksKept,
    int PacksRepacked,
    int PacksRemoved,
    int UnreferencedPacksRemoved,
    long BytesFreed,
    long UnusedBytesLeft,
    bool DryRun);
