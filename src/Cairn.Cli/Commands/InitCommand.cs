using System.CommandLine;
using Cairn.Repository;

namespace Cairn.Cli.Commands;

internal static class InitCommand
{
    public static Command Create()
    {
        var command = new Command("init", "Initialize a new repository");
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var store = RepositoryOpener.OpenStore(result);
            var password = RepositoryOpener.ReadPassword(result, confirm: true, "enter password for new repository: ");
            await using var repository = await Repository.Repository.InitAsync(store, password, RepositoryOpener.Options(result), ct);
            if (output.Json)
            {
                output.JsonLine(new InitializedJson("initialized", repository.Config.Id, store.Location), CliJsonContext.Lines.InitializedJson);
            }
            else
            {
                output.Line($"created restic repository {repository.Config.Id[..10]} at {store.Location}");
                output.Line("");
                output.Line("Please note that knowledge of your password is required to access");
                output.Line("the repository. Losing your password means that your data is");
                output.Line("irrecoverably lost.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>init --json.</summary>
internal sealed record InitializedJson(string MessageType, string Id, string Repository);
