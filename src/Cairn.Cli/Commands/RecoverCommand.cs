using System.CommandLine;
using Cairn.Maintenance.Recover;

namespace Cairn.Cli.Commands;

/// <summary>restic's recover: a new snapshot of the trees no snapshot reaches (e.g. after a forget by accident).</summary>
internal static class RecoverCommand
{
    public static Command Create()
    {
        var command = new Command("recover", "Recover data from the repository not referenced by snapshots (a new snapshot of the unreferenced trees)");
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            output.Line("load index files");
            await using var repoLock = await CommandLock.AcquireAndLoadIndexAsync(result, repository, ct);
            var recovery = new TreeRecovery(repository, progress: new Stages(output));
            var found = await recovery.RunAsync(Environment.MachineName, Environment.UserName, $"cairn {VersionCommand.Version}", cancellationToken: ct);
            if (found.Snapshot is { } snapshot)
            {
                output.Line($"saved new snapshot {snapshot.Short}");
            }
            else
            {
                output.Line("no snapshot to write.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private sealed class Stages(Output output) : IRecoveryProgress
    {
        public void Stage(string message) => output.Line(message);
    }
}
