using System.CommandLine;
using Cairn.Maintenance.Repair;

namespace Cairn.Cli.Commands;

internal static class RepairCommand
{
    public static Command Create()
    {
        var command = new Command("repair", "Repair the index or snapshots");
        var index = new Command("index", "Rebuild the index from the pack files");
        CommandContext.SetAction(index, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            await using var repoLock = await CommandLock.AcquireAsync(result, repository, exclusive: true, ct);
            var (packs, unreadable, files) = await new IndexRepairer(repository, output.Line).RunAsync(ct);
            if (output.Json)
            {
                output.JsonLine(new IndexRepairJson("summary", packs, unreadable, files), CliJsonContext.Lines.IndexRepairJson);
            }

            output.Line($"index rebuilt from {packs} packs into {files} index files{(unreadable > 0 ? $"; {unreadable} packs could not be read" : "")}");
            return unreadable > 0 ? ExitCodes.Error : ExitCodes.Success;
        });
        var forget = new Option<bool>("--forget") { Description = "remove the damaged original snapshots" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "only show what would be done" };
        var snapshots = new Command("snapshots", "Rewrite snapshots that reference missing data, dropping only what is lost") { forget, dryRun };
        CommandContext.SetAction(snapshots, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            await using var repoLock = await CommandLock.AcquireAsync(result, repository, exclusive: true, ct);
            // The index is read only under the lock: a prune that finished while we waited has changed it.
            await repository.LoadIndexAsync(ct);
            var (repaired, unchanged, removed) = await new SnapshotRepairer(repository, output.Line).RunAsync(result.GetValue(forget), result.GetValue(dryRun), ct);
            if (output.Json)
            {
                output.JsonLine(new SnapshotRepairJson("summary", repaired, unchanged, removed), CliJsonContext.Lines.SnapshotRepairJson);
            }

            output.Line($"{repaired} snapshots repaired, {unchanged} unchanged, {removed} lost entirely");
            return ExitCodes.Success;
        });
        command.Subcommands.Add(index);
        command.Subcommands.Add(snapshots);
        return command;
    }
}

/// <summary>repair index --json.</summary>
internal sealed record IndexRepairJson(string MessageType, int Packs, int Unreadable, int IndexFiles);

/// <summary>repair snapshots --json.</summary>
internal sealed record SnapshotRepairJson(string MessageType, int Repaired, int Unchanged, int Removed);
