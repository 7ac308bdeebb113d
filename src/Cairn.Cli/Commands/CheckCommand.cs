using System.CommandLine;
using Cairn.Maintenance.Check;

namespace Cairn.Cli.Commands;

internal static class CheckCommand
{
    public static Command Create()
    {
        var readData = new Option<bool>("--read-data") { Description = "read and authenticate all data" };
        var subset = new Option<string?>("--read-data-subset") { Description = "read a subset of the data: n/t, x% or a size such as 500M" };
        var command = new Command("check", "Check the repository for errors") { readData, subset };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct, useCache: false); // check reads the repository, never a cache
            await using var repoLock = await CommandLock.AcquireAsync(result, repository, exclusive: false, ct);
            var options = new CheckOptions { ReadData = result.GetValue(readData), ReadDataSubset = result.GetValue(subset) };
            CheckReport report;
            try
            {
                report = await new Checker(repository, new StageLine(output)).RunAsync(options, ct);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            foreach (var warning in report.Warnings)
            {
                output.Warning("warning: " + warning);
            }

            foreach (var error in report.Errors)
            {
                output.Warning("error: " + error);
            }

            foreach (var group in report.Affected.GroupBy(a => a.SnapshotId))
            {
                output.Warning($"snapshot {group.Key} is damaged; affected paths:");
                foreach (var a in group)
                {
                    output.Warning($"  {a.Path} ({a.Cause})");
                }
            }

            if (output.Json)
            {
                output.JsonLine(
                    new CheckSummaryJson(
                        MessageType: "summary",
                        NumErrors: report.Errors.Count,
                        Errors: [.. report.Errors.Select(e => e.ToString())],
                        Warnings: [.. report.Warnings.Select(e => e.ToString())],
                        DamagedPacks: report.DamagedPacks,
                        Affected: [.. report.Affected.Select(a => new AffectedPathJson(a.SnapshotId, a.Path, a.Cause))],
                        PacksChecked: report.PacksChecked,
                        PacksRead: report.PacksRead),
                    CliJsonContext.Lines.CheckSummaryJson);
            }

            if (report.HasErrors)
            {
                output.Warning("Fatal: repository contains errors");
                return ExitCodes.Error;
            }

            output.Line("no errors were found");
            return ExitCodes.Success;
        });
        return command;
    }

    private sealed class StageLine(Output output) : ICheckProgress
    {
        public void Stage(string message) => output.Line(message);
    }
}

/// <summary>The closing line of check --json.</summary>
internal sealed record CheckSummaryJson(
    string MessageType,
    int NumErrors,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> DamagedPacks,
    IReadOnlyList<AffectedPathJson> Affected,
    int PacksChecked,
    int PacksRead);

internal sealed record AffectedPathJson(string Snapshot, string Path, string Cause);
