using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Repository;
using Cairn.Storage;

namespace Cairn.Cli.Commands;

internal static class KeyCommand
{
    private static readonly Option<string?> NewPasswordFile = new("--new-password-file") { Description = "file with the new password (else asked on the terminal)" };

    public static Command Create()
    {
        var command = new Command("key", "Manage the repository's keys (passwords)");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Passwd());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static string NewPassword(ParseResult result)
    {
        if (result.GetValue(NewPasswordFile) is { } file)
        {
            var text = File.ReadAllText(file);
            var end = text.IndexOfAny(['\r', '\n']);
            return end < 0 ? text : text[..end];
        }

        return RepositoryOpener.Prompt("enter new password: ", confirm: true);
    }

    private static Command List()
    {
        var command = new Command("list", "List the keys");
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            var keys = await KeyRing.ListAsync(repository.Store, ct);
            if (output.Json)
            {
                var entries = keys.Select(k => new KeyListEntryJson(
                    k.Id == repository.KeyId,
                    k.Id.Short,
                    k.File.Username,
                    k.File.Hostname,
                    k.File.Created.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss"))).ToList();
                output.Out.WriteLine(JsonSerializer.Serialize(entries, CliJsonContext.Plain.ListKeyListEntryJson));
                return ExitCodes.Success;
            }

            output.Result($" {"ID",-9} {"User",-10} {"Host",-12} Created");
            output.Result(new string('-', 52));
            foreach (var (id, file) in keys)
            {
                output.Result($"{(id == repository.KeyId ? "*" : " ")}{id.Short,-9} {file.Username,-10} {file.Hostname,-12} {file.Created.ToDateTimeOffset().ToLocalTime():yyyy-MM-dd HH:mm:ss}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Add()
    {
        var command = new Command("add", "Add a key for another password") { NewPasswordFile };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            var id = await KeyRing.AddAsync(repository, NewPassword(result), ct);
            output.Line($"saved new key as <Key of {Environment.UserName}@{Environment.MachineName}, created on {DateTime.Now:yyyy-MM-dd HH:mm:ss}> {id.Short}");
            if (output.Json)
            {
                output.JsonLine(new KeySavedJson("key_added", id.ToString()), CliJsonContext.Lines.KeySavedJson);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Passwd()
    {
        var command = new Command("passwd", "Change the password of the key in use") { NewPasswordFile };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            var id = await KeyRing.ChangePasswordAsync(repository, NewPassword(result), ct);
            output.Line($"saved new key as {id.Short}; the old key was removed");
            if (output.Json)
            {
                output.JsonLine(new KeySavedJson("key_changed", id.ToString()), CliJsonContext.Lines.KeySavedJson);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove()
    {
        var idArgument = new Argument<string>("id") { Description = "ID (or unique prefix) of the key to remove" };
        var command = new Command("remove", "Remove a key (never the one in use)") { idArgument };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(result, ct);
            var name = await CatCommand.ResolveAsync(repository.Store, ObjectKind.Key, result.GetValue(idArgument)!, ct);
            try
            {
                await KeyRing.RemoveAsync(repository, Id.Parse(name.Name), ct);
            }
            catch (InvalidOperationException e)
            {
                throw new UsageException(e.Message);
            }

            output.Line($"removed key {name.Name[..8]}");
            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>key add/passwd --json.</summary>
internal sealed record KeySavedJson(string MessageType, string Id);

/// <summary>One key in key list --json: restic's camelCase names, written with the serializer's defaults (nulls kept).</summary>
internal sealed record KeyListEntryJson(
    [property: JsonPropertyName("current")] bool Current,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("userName")] string? UserName,
    [property: JsonPropertyName("hostName")] string? HostName,
    [property: JsonPropertyName("created")] string Created);
