using System.CommandLine;
using Cairn.Cli.Generate;

namespace Cairn.Cli.Commands;

/// <summary>restic's generate: completion scripts for bash, zsh and fish, and man pages, made from the command line itself.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var bash = new Option<string?>("--bash-completion") { Description = "write bash completion file", HelpName = "file" };
        var zsh = new Option<string?>("--zsh-completion") { Description = "write zsh completion file", HelpName = "file" };
        var fish = new Option<string?>("--fish-completion") { Description = "write fish completion file", HelpName = "file" };
        var man = new Option<string?>("--man") { Description = "write man pages to directory", HelpName = "directory" };
        var command = new Command("generate", "Generate manual pages and auto-completion files (bash, fish, zsh)") { bash, zsh, fish, man };
        CommandContext.SetAction(command, (result, output, _) =>
        {
            var tree = CommandNode.Of((RootCommand)result.RootCommandResult.Command);
            var written = false;
            written |= WriteScript(result.GetValue(bash), "bash", () => BashCompletion.Write(tree), output);
            written |= WriteScript(result.GetValue(zsh), "zsh", () => ZshCompletion.Write(tree), output);
            written |= WriteScript(result.GetValue(fish), "fish", () => FishCompletion.Write(tree), output);
            if (result.GetValue(man) is { } directory)
            {
                Directory.CreateDirectory(directory);
                foreach (var (fileName, text) in ManPages.Write(tree, DateOnly.FromDateTime(DateTime.UtcNow), VersionCommand.Version))
                {
                    var path = Path.Combine(directory, fileName);
                    output.Line($"writing man page {path}");
                    File.WriteAllText(path, text);
                }

                written = true;
            }

            if (!written)
            {
                throw new UsageException("nothing to do, please specify at least one output file or directory (--bash-completion, --zsh-completion, --fish-completion, --man)");
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>Writes one script; "-" writes it to standard output.</summary>
    private static bool WriteScript(string? file, string shell, Func<string> script, Output output)
    {
        if (file is null)
        {
            return false;
        }

        if (file == "-")
        {
            output.Out.Write(script());
            return true;
        }

        output.Line($"writing {shell} completion file to {file}");
        File.WriteAllText(file, script());
        return true;
    }
}
