using System.CommandLine;
using Cairn.Repository;

namespace Cairn.Cli.Commands;

internal static class UnlockCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--remove-all") { Description = "remove all locks, even ones of running processes" };
        var command = new Command("unlock", "Remove stale locks (locks of dead processes on this host, or older than 30 minutes)") { all };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            var removed = await RepositoryLock.RemoveAsync(repository, result.GetValue(all), ct);
            if (output.Json)
            {
                output.JsonLine(new UnlockJson("unlock", removed), CliJsonContext.Lines.UnlockJson);
            }
            else
            {
                output.Line(removed == 0 ? "no stale locks found" : $"successfully removed {removed} locks");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>unlock --json.</summary>
internal sealed record UnlockJson(string MessageType, int Removed);
